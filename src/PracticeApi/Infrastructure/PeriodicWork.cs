using System.Data.Common;

namespace PracticeApi.Infrastructure;

/// <summary>
/// Background work done in rounds every <c>{Section}:PollSeconds</c> (at least 5), unless <c>{Section}:Enabled</c> is
/// false or the build is generating the OpenAPI document. A round that meets a database problem is skipped and logged;
/// the next round tries again.
/// </summary>
internal abstract class PeriodicWork(IConfiguration configuration, ILogger logger, string section,
    int defaultSeconds) : BackgroundService
{
    protected IConfiguration Configuration => configuration;

    protected abstract Task RoundAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!configuration.GetValue($"{section}:Enabled", true) || ApiDocumentation.IsGeneratingDocument) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(5,
            configuration.GetValue($"{section}:PollSeconds", defaultSeconds))));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or InvalidOperationException
                && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("{Section} round skipped: {ExceptionType}", section, e.GetType().Name);
            }
        }
    }
}
