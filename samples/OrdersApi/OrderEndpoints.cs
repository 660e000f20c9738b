using System.Security.Claims;
using System.Text.Json;
using AuthService.ResourceServer;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersApi;

/// <summary>The write endpoints of the sample. Bad input is a 400 naming the field, never a 500.</summary>
public static class OrderEndpoints
{
    public static async Task<Results<Created<Order>, BadRequest<Dictionary<string, string>>>> PlaceAsync(HttpRequest request, OrderBook book, ClaimsPrincipal caller)
    {
        NewOrder? input;
        try
        {
            input = await request.ReadFromJsonAsync<NewOrder>(request.HttpContext.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            input = null;
        }

        if (input is not { Item: { Length: > 0 and <= 100 } item, Quantity: > 0 and <= 1000 })
        {
            return TypedResults.BadRequest(new Dictionary<string, string>
            {
                ["error"] = "A JSON body {\"item\": 1-100 characters, \"quantity\": 1-1000} is required.",
            });
        }

        var order = book.Place(item, input.Quantity, caller.FindFirstValue(AuthServiceTokenDefaults.Claims.ClientId)!);
        return TypedResults.Created($"/orders/{order.Id}", order);
    }

    public static Results<NoContent, NotFound> Cancel(int id, OrderBook book) =>
        book.Cancel(id) ? TypedResults.NoContent() : TypedResults.NotFound();

    private sealed record NewOrder(string? Item, int Quantity);
}
