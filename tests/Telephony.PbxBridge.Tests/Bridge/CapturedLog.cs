using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Bridge;

internal sealed record CapturedLog(LogLevel Level, string Category, string Message, string? Exception);
