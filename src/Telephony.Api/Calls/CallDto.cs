using Telephony.Api.Recordings;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Api.Calls;

/// <summary>The call object of design.md §3, as REST returns it and pushes carry it.</summary>
internal sealed record CallDto(
    Guid Id,
    string PbxId,
    string PbxCallId,
    string? Direction,
    string Status,
    string? Outcome,
    string? From,
    string? To,
    string? ExternalNumber,
    string? Extension,
    string? Trunk,
    string? RingGroup,
    IReadOnlyList<CallLegDto> Legs,
    IReadOnlyList<CallTransferDto> Transfers,
    DateTimeOffset? StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int? RingSeconds,
    int? TalkSeconds,
    int? DurationSeconds,
    CallRecordingDto? Recording,
    string? Satisfaction,
    string? FailureReason,
    bool OnHold,
    CallCustomerDto? Customer,
    IReadOnlyList<string> Orders,
    IReadOnlyList<CallNoteDto> Notes)
{
    public static CallDto For(CallRecord call)
    {
        var s = call.State;
        return new CallDto(
            call.Id,
            call.PbxId,
            s.PbxCallId,
            StorageNames.Of(s.Direction),
            StorageNames.Of(s.Status),
            StorageNames.Of(s.Outcome),
            s.From,
            s.To,
            call.ExternalE164 ?? s.ExternalNumber,
            s.Extension,
            s.Trunk,
            s.RingGroup,
            [.. s.Legs.Select(l => new CallLegDto(l.Extension, l.RingAt, l.AnsweredAt, l.EndedAt, StorageNames.Of(l.Outcome)))],
            [.. s.Transfers.Select(t => new CallTransferDto(t.FromExtension, t.To, t.At, t.Kind))],
            s.StartedAt,
            s.AnsweredAt,
            s.EndedAt,
            s.RingSeconds,
            s.TalkSeconds,
            s.DurationSeconds,
            CallRecordingDto.For(call),
            s.Satisfaction,
            s.FailureReason,
            s.OnHold,
            CallCustomerDto.For(call.Customer, call.Profile),
            call.Orders,
            [.. call.Notes.Select(n => new CallNoteDto(n.Id, n.Note, n.Author, n.CreatedAt))]);
    }
}
