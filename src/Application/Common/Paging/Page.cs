using System.Text.Json.Serialization;

namespace AuthService.Application.Common.Paging;

/// <summary>
/// The envelope of every admin list: the items of this page and, when more follow, the opaque cursor
/// that fetches the next page (keyset paging: stable under concurrent inserts, no count query).
/// </summary>
public sealed record Page<T>(
    [property: JsonPropertyName("items")] IReadOnlyList<T> Items,
    [property: JsonPropertyName("next_cursor")] string? NextCursor);

/// <summary>
/// Where a page of <paramref name="List"/> starts (the decoded key after which items follow; null for the
/// first page) and how many items it holds at most.
/// </summary>
public sealed record PageRequest(string List, string? After, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Builds the page from up to <see cref="Limit"/> + 1 rows read in key order: the extra row only tells that more follow.</summary>
    public Page<TOut> ToPage<TIn, TOut>(IReadOnlyList<TIn> rows, Func<TIn, string> keyOf, Func<TIn, TOut> map, Interfaces.IPageCursors cursors)
    {
        var items = rows.Take(Limit).ToList();
        var next = rows.Count > Limit ? cursors.Protect(List + Paging.ListSeparator + keyOf(items[^1])) : null;
        return new Page<TOut>([.. items.Select(map)], next);
    }
}

/// <summary>Reads the <c>cursor</c> and <c>limit</c> query parameters of a list; bad values are a 400 naming the parameter.</summary>
public static class Paging
{
    /// <summary>Between the list's name and the key inside a cursor: a cursor of one list is not one of another.</summary>
    internal const char ListSeparator = '\n';

    /// <param name="list">The list the cursor must belong to (a consents cursor sent to the audit log is a 400, not a parse error).</param>
    public static PageRequest Read(string list, string? cursor, int? limit, Interfaces.IPageCursors cursors)
    {
        if (limit is < 1 or > PageRequest.MaxLimit)
        {
            throw new Exceptions.RequestValidationException(new Dictionary<string, string[]>
            {
                ["limit"] = [$"limit must be between 1 and {PageRequest.MaxLimit}."],
            });
        }

        string? after = null;
        if (cursor is not null
            && ((after = cursors.Unprotect(cursor)) is null || !after.StartsWith(list + ListSeparator, StringComparison.Ordinal)))
        {
            throw new Exceptions.RequestValidationException(new Dictionary<string, string[]>
            {
                ["cursor"] = ["cursor is not a cursor this server issued for this list; start again without it."],
            });
        }

        return new PageRequest(list, after?[(list.Length + 1)..], limit ?? PageRequest.DefaultLimit);
    }
}
