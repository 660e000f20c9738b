namespace AuthService.Application.Common.Interfaces;

/// <summary>
/// Turns a list's last key into an opaque cursor and back. Cursors are authenticated (HMAC with a key
/// derived for this purpose only), so a tampered or made-up cursor is refused with a 400 instead of
/// steering the query (GO-2026-4807).
/// </summary>
public interface IPageCursors
{
    string Protect(string key);

    /// <summary>The key, or null when the cursor is malformed or was not issued by this server.</summary>
    string? Unprotect(string cursor);
}
