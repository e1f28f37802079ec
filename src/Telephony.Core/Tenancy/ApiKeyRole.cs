namespace Telephony.Core.Tenancy;

public enum ApiKeyRole
{
    Admin,
    Agent,
    Bridge,
}
