using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Telephony.PbxSimulator.PSeries;

// JSON shapes shared by the HTTP API and the event channel (A3 envelope).
internal static class PbxJson
{
    // Relaxed escaping keeps '+', '<' and '>' literal, as in the fixtures ("0745150974<0745150974>").
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(JsonNode node) => node.ToJsonString(Options);

    public static JsonObject Success() => new() { ["errcode"] = 0, ["errmsg"] = "SUCCESS" };

    public static JsonObject Error(int errcode, string errmsg) => new() { ["errcode"] = errcode, ["errmsg"] = errmsg };

    public static JsonObject InterfaceNotExisted() => Error(10001, "INTERFACE NOT EXISTED");

    public static JsonObject TokenExpired() => Error(10004, "TOKEN EXPIRED");

    public static JsonObject ParameterError() => Error(40002, "PARAMETER ERROR");

    // 40002 with the documented {"field","validation_type":"required"} item.
    public static JsonObject ParameterRequired(string field)
    {
        var error = ParameterError();
        error["invalid_param_list"] = new JsonArray(new JsonObject { ["field"] = field, ["validation_type"] = "required" });
        return error;
    }

    // 40002 with the documented {"field","value"} item.
    public static JsonObject ParameterInvalid(string field, string value)
    {
        var error = ParameterError();
        error["invalid_param_list"] = new JsonArray(new JsonObject { ["field"] = field, ["value"] = value });
        return error;
    }

    // Auth failure exactly as documented on PS/response-result.html (p-error-auth-failure.json).
    public static JsonObject AuthFailure()
    {
        var error = Error(-1, "FAILURE");
        error["invalid_param_list"] = new JsonArray(new JsonObject { ["field"] = "username or password", ["value"] = "error" });
        return error;
    }
}
