namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// The host's logging with the unit's PBX in every category (<c>Telephony.PbxBridge.ApiForwarder[tenant/pbx]</c>): many
/// PBXs log through one process, and a line must say which one it is about. Log-level rules still apply, since they
/// match a category by its start. The host owns the providers, so this adds and disposes none.
/// </summary>
internal sealed class FleetUnitLoggerFactory(ILoggerFactory host, FleetPbxKey pbx) : ILoggerFactory
{
    private readonly string _suffix = $"[{pbx}]";

    public ILogger CreateLogger(string categoryName) => host.CreateLogger(categoryName + _suffix);

    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("A fleet unit logs through the host's providers; add providers to the host.");

    public void Dispose()
    {
    }
}
