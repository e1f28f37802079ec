namespace Telephony.Api.Tests.Tenancy;

/// <summary>Issue 12 §7: a setting that cannot work stops start-up with a message a person can act on.</summary>
public sealed class StartupSettingsTests
{
    [Fact]
    public async Task A_bootstrap_admin_key_shorter_than_16_characters_stops_start_up_and_says_so()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => ApiHost.Start(database.ConnectionString, new Dictionary<string, string?> { ["TELEPHONY_ADMIN_KEY"] = "too-short" }));

        var message = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0].Message : error.Message;
        Assert.Contains("TELEPHONY_ADMIN_KEY is 9 characters", message, StringComparison.Ordinal);
        Assert.DoesNotContain("too-short", message, StringComparison.Ordinal);
    }
}
