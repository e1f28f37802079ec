using System.Globalization;
using System.Text;
using Npgsql;
using Telephony.PbxSimulator;
using Telephony.TestSupport;

namespace Telephony.FaultTests;

/// <summary>The fault suite's verdict: a call log compared call by call with the simulator's own record of the calls.</summary>
public static class CallLogComparison
{
    /// <summary>
    /// The differences between the call log of <paramref name="tenantId"/> (of one PBX, or all of them when
    /// <paramref name="pbxId"/> is null) and the simulator's record: same calls, same direction and outcome, ring/talk/duration
    /// within 1 s, the start on the right day and hour, every call ended, no duplicates, nothing extra; a recorded call
    /// names the simulator's recording file and has it archived, and no other call names one.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Problems, int Correct, int Rows)> CompareAsync(
        TestDatabase database, string tenantId, string? pbxId, IReadOnlyList<SimulatedCall> expected, CancellationToken cancellationToken)
    {
        var logged = new List<(string PbxCallId, string? Direction, string Status, string? Outcome, int? Ring, int? Talk, int? Duration, DateTimeOffset? StartedAt, string? Recording, string? RecordingStatus)>();
        await using (var command = database.DataSource.CreateCommand(
            """
            select c.pbx_call_id, c.direction, c.status, c.outcome, c.ring_seconds, c.talk_seconds, c.duration_seconds, c.started_at, c.recording, r.status
            from call_logs c left join call_recordings r on r.tenant_id = c.tenant_id and r.call_id = c.id
            where c.tenant_id = $1 and ($2::text is null or c.pbx_id = $2)
            """))
        {
            command.Parameters.AddWithValue(tenantId);
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)pbxId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                logged.Add((
                    reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    reader.IsDBNull(5) ? null : reader.GetInt32(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6),
                    reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8),
                    reader.IsDBNull(9) ? null : reader.GetString(9)));
            }
        }

        var problems = new List<string>();
        foreach (var duplicate in logged.GroupBy(r => r.PbxCallId, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"{duplicate.Key}: logged {duplicate.Count()} times");
        }

        var byId = logged.GroupBy(r => r.PbxCallId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var expectedIds = expected.Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in byId.Keys.Where(id => !expectedIds.Contains(id)))
        {
            problems.Add($"{extra}: logged but the simulator has no such call");
        }

        var correct = 0;
        foreach (var call in expected)
        {
            if (!byId.TryGetValue(call.CallId, out var row))
            {
                problems.Add($"{call.CallId} ({call.Direction} {call.Outcome}): missing from the call log");
                continue;
            }

            var issues = new StringBuilder();
            if (row.Status != "ended")
            {
                issues.Append(CultureInfo.InvariantCulture, $" status {row.Status}");
            }

            if (row.Outcome != call.Outcome)
            {
                issues.Append(CultureInfo.InvariantCulture, $" outcome {row.Outcome ?? "null"}≠{call.Outcome}");
            }

            if (row.Direction != call.Direction)
            {
                issues.Append(CultureInfo.InvariantCulture, $" direction {row.Direction ?? "null"}≠{call.Direction}");
            }

            if (!Within(row.Ring, call.RingSeconds))
            {
                issues.Append(CultureInfo.InvariantCulture, $" ring {row.Ring?.ToString(CultureInfo.InvariantCulture) ?? "null"}≠{call.RingSeconds}");
            }

            if (!Within(row.Talk, call.TalkSeconds))
            {
                issues.Append(CultureInfo.InvariantCulture, $" talk {row.Talk?.ToString(CultureInfo.InvariantCulture) ?? "null"}≠{call.TalkSeconds}");
            }

            if (!Within(row.Duration, call.RingSeconds + call.TalkSeconds))
            {
                issues.Append(CultureInfo.InvariantCulture, $" duration {row.Duration?.ToString(CultureInfo.InvariantCulture) ?? "null"}≠{call.RingSeconds + call.TalkSeconds}");
            }

            // Live starts are the bridge's receive times while the simulator's clock runs TimeScale times faster, so
            // they drift apart by minutes over a run; a misread CDR date is off by hours (AM/PM, zone) or months.
            if (row.StartedAt is not { } started || (started - call.StartedAt).Duration() > StartTolerance)
            {
                issues.Append(CultureInfo.InvariantCulture, $" started {row.StartedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "null"}≠{call.StartedAt:O}");
            }

            if (!string.Equals(row.Recording, call.Recording, StringComparison.Ordinal))
            {
                issues.Append(CultureInfo.InvariantCulture, $" recording {row.Recording ?? "null"}≠{call.Recording ?? "null"}");
            }
            else if (call.Recording is not null && row.RecordingStatus != "archived")
            {
                issues.Append(CultureInfo.InvariantCulture, $" recording {row.RecordingStatus ?? "unregistered"}, not archived");
            }

            if (issues.Length > 0)
            {
                problems.Add($"{call.CallId} ({call.Direction} {call.Outcome}):{issues}");
            }
            else
            {
                correct++;
            }
        }

        return (problems, correct, logged.Count);
    }

    private static readonly TimeSpan StartTolerance = TimeSpan.FromMinutes(90);

    private static bool Within(int? actual, int expected) => actual is { } value && Math.Abs(value - expected) <= 1;
}
