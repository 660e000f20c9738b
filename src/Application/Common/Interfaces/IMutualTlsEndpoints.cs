namespace AuthService.Application.Common.Interfaces;

/// <summary>Where clients reach the endpoints that take client certificates (RFC 8705 §5).</summary>
public interface IMutualTlsEndpoints
{
    /// <summary>True when clients can present certificates: the mutual-TLS listener or a trusted proxy is configured.</summary>
    bool Enabled { get; }

    /// <summary>The absolute URL of <paramref name="path"/> on the mutual-TLS endpoint, or null when none is published.</summary>
    string? Url(string path);
}
