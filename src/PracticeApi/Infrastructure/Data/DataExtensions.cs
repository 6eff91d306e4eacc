namespace PracticeApi.Infrastructure.Data;

public static class DataExtensions
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        var options = DatabaseOptions.From(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<Db>();
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<ReadCommittedSnapshot>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => PracticeCalendar.From(builder.Configuration,
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
