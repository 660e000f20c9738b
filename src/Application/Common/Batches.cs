namespace AuthService.Application.Common;

/// <summary>Deleting a backlog in bounded batches, so no single statement holds locks for long.</summary>
public static class Batches
{
    /// <summary>Calls <paramref name="deleteBatch"/> until it deletes fewer than <paramref name="batchSize"/> rows; returns the total.</summary>
    public static async Task<int> DeleteAllAsync(Func<int, Task<int>> deleteBatch, int batchSize, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            deleted = await deleteBatch(batchSize);
            total += deleted;
        }
        while (deleted == batchSize && !cancellationToken.IsCancellationRequested);
        return total;
    }
}
