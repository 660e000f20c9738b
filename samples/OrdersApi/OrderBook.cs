namespace OrdersApi;

/// <summary>The sample's orders, in memory: enough to show what each scope allows.</summary>
public sealed class OrderBook
{
    private readonly Lock _lock = new();
    private readonly List<Order> _orders = [new(1, "coffee beans", 2, "seed")];
    private int _nextId = 2;

    public IReadOnlyList<Order> List()
    {
        lock (_lock)
        {
            return [.. _orders];
        }
    }

    public Order Place(string item, int quantity, string placedBy)
    {
        lock (_lock)
        {
            var order = new Order(_nextId++, item, quantity, placedBy);
            _orders.Add(order);
            return order;
        }
    }

    public bool Cancel(int id)
    {
        lock (_lock)
        {
            return _orders.RemoveAll(o => o.Id == id) > 0;
        }
    }
}

public sealed record Order(int Id, string Item, int Quantity, string PlacedBy);
