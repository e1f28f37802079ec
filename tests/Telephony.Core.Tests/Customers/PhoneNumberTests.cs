using Telephony.Core.Customers;

namespace Telephony.Core.Tests.Customers;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+7 999 123-45-67")]
    [InlineData("89991234567")]
    [InlineData("79991234567")]
    [InlineData("+79991234567")]
    [InlineData("8 (999) 123-45-67")]
    public void Russian_numbers_in_any_format_normalize_to_e164(string raw)
    {
        Assert.Equal("+79991234567", PhoneNumber.ToE164(raw, "RU"));
    }

    [Theory]
    [InlineData("1001")]
    [InlineData("6300")]
    [InlineData("2002")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("abc")]
    [InlineData("+")]
    [InlineData("++--()")]
    [InlineData("Queue Emergency<6400>")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890")]
    public void Extensions_and_garbage_are_not_phone_numbers(string? raw)
    {
        Assert.Null(PhoneNumber.ToE164(raw, "RU"));
    }

    [Fact]
    public void International_number_ignores_the_default_region()
    {
        Assert.Equal("+4930123456", PhoneNumber.ToE164("+49 30 123456", "RU"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("XX")]
    [InlineData("not a region")]
    public void Unknown_region_never_throws(string region)
    {
        Assert.Null(PhoneNumber.ToE164("89991234567", region));
        Assert.Equal("+79991234567", PhoneNumber.ToE164("+79991234567", region));
    }
}
