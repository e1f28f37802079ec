using System.Text.RegularExpressions;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Admin;

/// <summary>
/// The connection fields of <c>PUT …/pbxes/{p}</c>, checked together (they depend on each other and on kind) and
/// normalised: the API version implied by kind when left out, the fingerprint as upper-case hex without colons.
/// </summary>
internal static partial class PbxConnectionInput
{
    /// <summary>Adds what is wrong to <paramref name="errors"/>; returns the connection without its secret (the caller seals it).</summary>
    public static PbxConnection Check(PutPbxRequest request, bool hasStoredSecret, Dictionary<string, string[]> errors)
    {
        var host = string.IsNullOrWhiteSpace(request.Host) ? null : request.Host.Trim();
        var fingerprint = request.TlsFingerprint is null ? null : request.TlsFingerprint.Replace(":", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
        if (host is null)
        {
            NeedsHost(errors, "port", request.Port is not null);
            NeedsHost(errors, "apiVersion", request.ApiVersion is not null);
            NeedsHost(errors, "clientId", request.ClientId is not null);
            NeedsHost(errors, "clientSecret", !string.IsNullOrEmpty(request.ClientSecret));
            NeedsHost(errors, "tlsFingerprint", request.TlsFingerprint is not null);
            return new PbxConnection { KeepClientSecret = request.ClientSecret is null };
        }

        if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6))
        {
            errors["host"] = [$"'{host}' is not a host name or IP address: give it without scheme, port or path (pbx.example.com, 203.0.113.7)."];
        }

        var impliedVersion = request.Kind == "s-series" ? "v2.0.0" : "v1.0";
        if (request.ApiVersion is not null && request.ApiVersion != impliedVersion)
        {
            errors["apiVersion"] = [$"A {request.Kind} PBX speaks API {impliedVersion}, not {request.ApiVersion}: change kind or apiVersion."];
        }

        if (string.IsNullOrWhiteSpace(request.ClientId))
        {
            errors["clientId"] = ["clientId is required with host: the client id of the PBX's API application."];
        }

        // After this PUT the PBX must have a secret: a given one, or the stored one when clientSecret is left out.
        if (request.ClientSecret == "" || (request.ClientSecret is null && !hasStoredSecret))
        {
            errors["clientSecret"] = ["clientSecret is required with host: the client secret of the PBX's API application."];
        }

        if (fingerprint is not null && !Sha256Hex().IsMatch(fingerprint))
        {
            errors["tlsFingerprint"] = ["tlsFingerprint must be the SHA-256 of the PBX's certificate: 64 hex digits, colons optional (AB:CD:…)."];
        }

        return new PbxConnection
        {
            Host = host,
            Port = request.Port,
            ApiVersion = impliedVersion,
            ClientId = request.ClientId?.Trim(),
            TlsFingerprint = fingerprint,
            KeepClientSecret = request.ClientSecret is null,
        };
    }

    private static void NeedsHost(Dictionary<string, string[]> errors, string field, bool given)
    {
        if (given)
        {
            errors[field] = [$"{field} is part of a fleet connection and needs host."];
        }
    }

    [GeneratedRegex("^[0-9A-F]{64}$")]
    private static partial Regex Sha256Hex();
}
