namespace PracticeApi.Infrastructure;

/// <summary>
/// The loop of a background worker that drains its work in passes: run passes while the last one found work, then wait
/// the poll interval; a pass that fails on storage is reported and tried again at the next poll, never ending the
/// worker.
/// </summary>
public static class PollingLoop
{
    public static async Task RunAsync(Func<CancellationToken, Task<int>> pass, TimeSpan poll, Action<Exception> failed,
        CancellationToken stoppingToken)
    {
        if (Http.ApiDocumentation.IsGeneratingDocument) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await pass(stoppingToken) > 0)
                {
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException
                && !stoppingToken.IsCancellationRequested)
            {
                failed(e);
            }

            try
            {
                await Task.Delay(poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
