using Telephony.TestSupport;

[assembly: AssemblyFixture(typeof(Telephony.FaultTests.SharedDatabase))]

namespace Telephony.FaultTests;

/// <summary>One fresh database for the whole fault suite; every test is a tenant of its own.</summary>
public sealed class SharedDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public ValueTask InitializeAsync() => Database.InitializeAsync();

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
