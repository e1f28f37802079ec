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

    [Theory]
    [InlineData("CRM_LOOKUP_URL", "crm.example.com/lookup", "CRM_LOOKUP_URL is not an http(s) URL")]
    [InlineData("RECORDINGS_STORAGE_CONNECTION_STRING", "AccountKey=secret-part", "RECORDINGS_STORAGE_CONNECTION_STRING is not an Azure Storage connection string")]
    public async Task A_setting_that_cannot_work_stops_start_up_and_names_itself(string setting, string value, string expected)
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();

        var error = Assert.ThrowsAny<Exception>(() => ApiHost.Start(database.ConnectionString, new Dictionary<string, string?> { [setting] = value }));

        var message = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0].Message : error.Message;
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-part", message, StringComparison.Ordinal);
    }
}
