using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Customers;

internal sealed class CustomerOptions
{
    public const string SectionName = "Customers";

    /// <summary>FoodFlow's CRM lookup (<c>CRM_LOOKUP_URL</c>); unset = the built-in PostgreSQL directory.</summary>
    public Uri? CrmLookupUrl { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan CrmTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the incoming-call push may wait for the profile; a slower lookup follows as call:updated.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan PopupBudget { get; set; } = TimeSpan.FromMilliseconds(300);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
