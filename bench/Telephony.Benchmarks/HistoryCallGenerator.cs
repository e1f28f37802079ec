using System.Globalization;

namespace Telephony.Benchmarks;

/// <summary>
/// A tenant's calls over <see cref="HistorySize.Days"/> days, day by day in time order, with a restaurant's rhythm:
/// lunch and dinner peaks, regulars who call often, ring groups of three phones, missed calls that are mostly called
/// back within the hour, orders on a third of the answered calls, notes on a few. Seeded: the same tenant and size
/// give the same calls (ids aside).
/// </summary>
internal sealed class HistoryCallGenerator(HistoryTenant tenant, DateTime endUtc)
{
    // Local hour weights of a restaurant's phone (Moscow time): quiet nights, lunch and dinner rushes.
    private static readonly double[] HourWeights = [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.5, 1, 2, 3, 5, 8, 12, 12, 9, 6, 6, 8, 12, 14, 12, 8, 4, 2];

    private static readonly string[] FirstNames =
    [
        "Ivan", "Anna", "Dmitry", "Elena", "Sergey", "Olga", "Alexey", "Maria", "Andrey", "Natalia", "Pavel", "Irina", "Mikhail",
        "Tatiana", "Nikolai", "Svetlana", "Artem", "Yulia", "Roman", "Ekaterina", "Igor", "Daria", "Oleg", "Ksenia", "Victor",
    ];

    private static readonly string[] LastNames =
    [
        "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Petrov", "Sokolov", "Mikhailov", "Novikov", "Fedorov", "Morozov",
        "Volkov", "Alekseev", "Lebedev", "Semenov", "Egorov", "Pavlov", "Kozlov", "Stepanov", "Nikolaev", "Orlov", "Andreev",
        "Makarov", "Nikitin", "Zakharov", "Zaitsev", "Soloviev", "Borisov", "Yakovlev", "Grigoriev", "Romanov", "Vorobiev",
        "Sergeev", "Kuzmin", "Frolov", "Alexandrov", "Dmitriev", "Korolev", "Gusev", "Kiselev", "Ilyin", "Maksimov", "Polyakov",
    ];

    private static readonly string[] Notes =
    [
        "Asked for no onions in the {0}",
        "Allergy to {1}, check the recipe before cooking",
        "Deliver to the back entrance, {2} street {3}",
        "Complaint: the {0} arrived cold, offered a discount",
        "Wants an invoice for the company, send to accounting",
        "Asked about the order status, promised a call back",
        "Regular customer, prefers to pay by card to the courier",
        "Changed the delivery address to {2} street {3}",
        "Birthday order, add a candle to the {0}",
        "Courier could not find the entrance, call on arrival",
    ];

    private static readonly string[] Dishes = ["pizza", "pasta", "burger", "salad", "soup", "lasagne", "calzone", "risotto"];
    private static readonly string[] Allergens = ["peanuts", "lactose", "gluten", "shellfish", "sesame", "eggs"];
    private static readonly string[] Streets = ["Lenina", "Tverskaya", "Arbat", "Pushkina", "Gagarina", "Mira", "Sadovaya", "Lesnaya"];

    private readonly Random _random = new(7919 + tenant.Index);
    private readonly int _numberPool = Math.Max(200, tenant.Calls / 8);
    private readonly Dictionary<string, int> _sequence = new(StringComparer.Ordinal);
    private int _orders;

    public IEnumerable<HistoryCall> Calls()
    {
        var firstDay = endUtc.AddDays(-HorizonDays);

        // About 6% of calls are call-backs of missed calls; the day's own calls are thinned to leave room for them.
        var perDay = tenant.Calls / (double)HorizonDays / 1.06;
        var hourTotal = HourWeights.Sum();
        for (var d = 0; d < HorizonDays; d++)
        {
            var day = firstDay.AddDays(d);
            var weekend = day.AddHours(3).DayOfWeek is DayOfWeek.Friday or DayOfWeek.Saturday ? 1.25 : 0.95;
            // Rounded up or down at random in proportion, so a tenant with less than a call a day still gets its share.
            var expected = perDay * weekend * (0.85 + (0.3 * _random.NextDouble()));
            var count = (int)expected + (_random.NextDouble() < expected - Math.Floor(expected) ? 1 : 0);
            var calls = new List<HistoryCall>(count + (count / 10));
            for (var i = 0; i < count; i++)
            {
                var hour = PickHour(hourTotal);
                var at = day.AddHours(hour - 3).AddSeconds(_random.Next(3600));
                var call = NewCall(at);
                calls.Add(call);
                if (call is { Direction: "inbound", Outcome: "missed", ExternalE164: not null } && _random.NextDouble() < 0.6)
                {
                    calls.Add(CallBack(call));
                }
            }

            foreach (var call in calls.Where(c => c.StartedAt < endUtc).OrderBy(c => c.StartedAt))
            {
                yield return call;
            }
        }
    }

    private static int HorizonDays => HistorySize.Days;

    private int PickHour(double total)
    {
        var x = _random.NextDouble() * total;
        for (var h = 0; h < 24; h++)
        {
            x -= HourWeights[h];
            if (x < 0)
            {
                return h;
            }
        }

        return 23;
    }

    private HistoryCall NewCall(DateTime at)
    {
        var location = tenant.Locations[_random.Next(tenant.Locations.Count)];
        var kind = _random.NextDouble();
        return kind < 0.70 ? Inbound(location, at) : kind < 0.90 ? Outbound(location, at, callBack: null) : Internal(location, at);
    }

    private HistoryCall Inbound(HistoryLocation location, DateTime at)
    {
        var caller = PickCaller();
        var e164 = Number(caller);
        var viaGroup = _random.NextDouble() < 0.8;
        var r = _random.NextDouble();
        var outcome = r < 0.80 ? "answered" : r < 0.95 ? "missed" : r < 0.98 ? "busy" : "failed";
        var ring = outcome switch
        {
            "answered" => 1 + (int)(Math.Pow(_random.NextDouble(), 2) * 40),
            "missed" => _random.NextDouble() < 0.2 ? _random.Next(5) : 5 + _random.Next(55),
            _ => _random.Next(4),
        };
        var talk = outcome == "answered" ? Talk() : 0;
        var idle = _random.Next(4);
        var phones = viaGroup ? location.Extensions.Where((_, i) => i != idle).ToList() : [location.Extensions[_random.Next(4)]];
        var answerer = outcome == "answered" ? phones[_random.Next(phones.Count)] : null;
        var answeredAt = outcome == "answered" ? at.AddSeconds(ring) : (DateTime?)null;
        var endedAt = at.AddSeconds(ring + talk);
        var legs = phones.Select(p => p == answerer
                ? new HistoryLeg(p, at, answeredAt, endedAt, "answered")
                : new HistoryLeg(p, at, null, at.AddSeconds(ring), "missed"))
            .ToList();
        var customer = Customer(caller);
        var pbxCallId = PbxCallId(location, at);
        var orderId = outcome == "answered" && _random.NextDouble() < 0.35 ? $"o{tenant.Index}-{++_orders}" : null;
        return new HistoryCall
        {
            TenantId = tenant.Id,
            Id = Guid.CreateVersion7(at),
            PbxId = location.PbxId,
            PbxCallId = pbxCallId,
            Direction = "inbound",
            Outcome = outcome,
            From = "8" + e164[2..],
            To = location.Did,
            ExternalNumber = "8" + e164[2..],
            ExternalE164 = e164,
            Extension = answerer ?? phones[0],
            Trunk = location.Trunk,
            RingGroup = viaGroup ? location.RingGroup : null,
            StartedAt = at,
            AnsweredAt = answeredAt,
            EndedAt = endedAt,
            RingSeconds = ring,
            TalkSeconds = talk,
            Recording = answerer is not null && _random.NextDouble() < 0.5 ? $"{at:yyyyMMdd}-{pbxCallId}.wav" : null,
            Satisfaction = answerer is not null && _random.NextDouble() < 0.08 ? (1 + _random.Next(5)).ToString(CultureInfo.InvariantCulture) : null,
            FailureReason = outcome == "failed" ? "503 Service Unavailable" : null,
            Transfers = answerer is not null && _random.NextDouble() < 0.03
                ? $$"""[{"fromExtension":"{{answerer}}","to":"{{location.Extensions[3]}}","at":"{{answeredAt!.Value.AddSeconds(talk / 2):yyyy-MM-ddTHH:mm:ssZ}}","kind":"transfer"}]"""
                : "[]",
            CustomerId = customer?.Id,
            CustomerName = customer?.Name,
            CustomerPhone = customer is null ? null : e164,
            Legs = legs,
            OrderId = orderId,
            Note = MaybeNote(),
        };
    }

    private HistoryCall Outbound(HistoryLocation location, DateTime at, HistoryCall? callBack)
    {
        var callee = callBack is null ? PickCaller() : -1;
        var e164 = callBack?.ExternalE164 ?? Number(callee);
        var r = _random.NextDouble();
        var outcome = callBack is not null || r < 0.70 ? "answered" : r < 0.90 ? "missed" : r < 0.97 ? "busy" : "failed";
        var ring = 2 + _random.Next(outcome == "answered" ? 15 : 28);
        var talk = outcome == "answered" ? Talk() : 0;
        var extension = location.Extensions[_random.Next(4)];
        var customer = callBack is null ? Customer(callee) : null;
        return new HistoryCall
        {
            TenantId = tenant.Id,
            Id = Guid.CreateVersion7(at),
            PbxId = location.PbxId,
            PbxCallId = PbxCallId(location, at),
            Direction = "outbound",
            Outcome = outcome,
            From = extension,
            To = "8" + e164[2..],
            ExternalNumber = "8" + e164[2..],
            ExternalE164 = e164,
            Extension = extension,
            Trunk = location.Trunk,
            StartedAt = at,
            AnsweredAt = outcome == "answered" ? at.AddSeconds(ring) : null,
            EndedAt = at.AddSeconds(ring + talk),
            RingSeconds = ring,
            TalkSeconds = talk,
            CustomerId = customer?.Id ?? callBack?.CustomerId,
            CustomerName = customer?.Name ?? callBack?.CustomerName,
            CustomerPhone = customer is null && callBack?.CustomerId is null ? null : e164,
            Note = MaybeNote(),
        };
    }

    private HistoryCall Internal(HistoryLocation location, DateTime at)
    {
        var from = _random.Next(4);
        var to = (from + 1 + _random.Next(3)) % 4;
        var outcome = _random.NextDouble() < 0.75 ? "answered" : "missed";
        var ring = 1 + _random.Next(12);
        var talk = outcome == "answered" ? 5 + _random.Next(120) : 0;
        var answeredAt = outcome == "answered" ? at.AddSeconds(ring) : (DateTime?)null;
        var endedAt = at.AddSeconds(ring + talk);
        return new HistoryCall
        {
            TenantId = tenant.Id,
            Id = Guid.CreateVersion7(at),
            PbxId = location.PbxId,
            PbxCallId = PbxCallId(location, at),
            Direction = "internal",
            Outcome = outcome,
            From = location.Extensions[from],
            To = location.Extensions[to],
            Extension = location.Extensions[to],
            StartedAt = at,
            AnsweredAt = answeredAt,
            EndedAt = endedAt,
            RingSeconds = ring,
            TalkSeconds = talk,
            Legs = [new HistoryLeg(location.Extensions[to], at, answeredAt, outcome == "answered" ? endedAt : at.AddSeconds(ring), outcome)],
        };
    }

    // Most missed callers are called back from the same restaurant within the hour.
    private HistoryCall CallBack(HistoryCall missed) =>
        Outbound(tenant.Locations.First(l => l.PbxId == missed.PbxId), missed.EndedAt.AddSeconds(120 + _random.Next(3600)), missed);

    private int Talk() => 20 + (int)(Math.Pow(_random.NextDouble(), 3) * 600);

    // A third of the calls come from the regulars (the first 2% of the tenant's numbers).
    private int PickCaller() => _random.NextDouble() < 0.3 ? _random.Next(Math.Max(1, _numberPool / 50)) : _random.Next(_numberPool);

    private string Number(int caller) =>
        string.Create(CultureInfo.InvariantCulture, $"+79{Mix((ulong)tenant.Index, (ulong)caller) % 1_000_000_000:D9}");

    // Six numbers in ten belong to a known customer, linked to most of their calls.
    private (string Id, string Name)? Customer(int caller)
    {
        var h = Mix((ulong)tenant.Index + 1000, (ulong)caller);
        if (h % 10 >= 6 || _random.NextDouble() >= 0.8)
        {
            return null;
        }

        var name = $"{FirstNames[(int)(h / 10 % (ulong)FirstNames.Length)]} {LastNames[(int)(h / 1000 % (ulong)LastNames.Length)]}";
        return ($"c{tenant.Index}-{caller}", name);
    }

    private string? MaybeNote()
    {
        if (_random.NextDouble() >= 0.04)
        {
            return null;
        }

        return string.Format(
            CultureInfo.InvariantCulture,
            Notes[_random.Next(Notes.Length)],
            Dishes[_random.Next(Dishes.Length)],
            Allergens[_random.Next(Allergens.Length)],
            Streets[_random.Next(Streets.Length)],
            1 + _random.Next(120));
    }

    private string PbxCallId(HistoryLocation location, DateTime at)
    {
        var next = _sequence.GetValueOrDefault(location.PbxId) + 1;
        _sequence[location.PbxId] = next;
        return string.Create(CultureInfo.InvariantCulture, $"{new DateTimeOffset(at, TimeSpan.Zero).ToUnixTimeSeconds()}.{next}");
    }

    private static ulong Mix(ulong a, ulong b)
    {
        // splitmix64: a well-spread, repeatable number per (tenant, caller).
        var z = (a * 0x9E3779B97F4A7C15UL) + b + 0x632BE59BD9B4E019UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
