using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AuthService.WebApi.Admin;

/// <summary>Admin API timestamps: ISO-8601 in UTC with a <c>Z</c> (e.g. <c>2026-11-22T10:15:03.512Z</c>); any offset is accepted on input.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}
