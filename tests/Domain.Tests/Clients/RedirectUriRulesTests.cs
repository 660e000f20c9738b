using AuthService.Domain.Clients;

namespace AuthService.Domain.Tests.Clients;

/// <summary>Registration-time redirect URI shape (RFC 9700 §2.1, §4.1.3); rows name SECURITY-CATALOGUE ids.</summary>
public class RedirectUriRulesTests
{
    [Theory]
    [InlineData("https://c1.example/cb")]
    [InlineData("https://c1.example")]
    [InlineData("https://cq.example/cb?tenant=1")]
    [InlineData("https://c1.example:8443/cb?a=1&b=2")]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://127.0.0.1:8080/cb")]
    [InlineData("http://[::1]/cb")]
    [InlineData("http://[::1]:49152/cb")]
    [InlineData("http://localhost:3000/cb")]
    [InlineData("com.example.app:/cb")]
    [InlineData("com.example.app:/oauth2redirect?from=login")]
    public void Acceptable_redirect_uri_validates(string uri) =>
        Assert.Null(RedirectUriRules.Validate(uri));

    [Theory]
    [InlineData("https://c1.example/cb#x")]
    [InlineData("https://c1.example/cb#")]
    public void Redirect_uri_with_fragment_is_refused(string uri) =>
        Assert.Contains("fragment", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory] // RFC 9700 §2.6
    [InlineData("http://c1.example/cb")]
    [InlineData("http://127.0.0.1.evil.com/cb")]
    [InlineData("http://localhost.evil.com/cb")]
    [InlineData("http://localhost.:3000/cb")]
    [InlineData("http://10.0.0.1/cb")]
    public void Plain_http_redirect_uri_to_a_non_loopback_host_is_refused(string uri) =>
        Assert.Contains("must use https", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("myapp:/cb")]
    [InlineData("myapp://cb")]
    [InlineData("ftp://c1.example/cb")]
    public void Private_use_scheme_without_a_dot_is_refused(string uri) =>
        Assert.Contains("reverse domain name", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory] // CVE-2026-9086
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("data:text/html,x")]
    [InlineData("vbscript:x")]
    [InlineData("file:///etc/passwd")]
    [InlineData("blob:https://c1.example/uuid")]
    [InlineData("about:blank")]
    public void Script_and_local_content_schemes_are_refused(string uri) =>
        Assert.NotNull(RedirectUriRules.Validate(uri));

    [Theory] // CVE-2026-9689
    [InlineData("https://c1.example/cb?code=x")]
    [InlineData("https://c1.example/cb?state=x")]
    [InlineData("https://c1.example/cb?iss=x")]
    [InlineData("https://c1.example/cb?error=x")]
    [InlineData("https://c1.example/cb?id_token=x")]
    [InlineData("https://c1.example/cb?access_token=x")]
    [InlineData("https://c1.example/cb?tenant=1&state=x")]
    [InlineData("https://c1.example/cb?code")]
    [InlineData("https://c1.example/cb?CODE=x")]
    [InlineData("https://c1.example/cb?%63ode=x")]
    [InlineData("com.example.app:/cb?code=x")]
    public void Redirect_uri_carrying_response_parameters_is_refused(string uri) =>
        Assert.Contains("response parameters", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory] // Keycloak issue #48430
    [InlineData("https://c1.example*")]
    [InlineData("https://*.example/cb")]
    [InlineData("https://c1.example/*")]
    public void Wildcard_redirect_uri_is_refused(string uri) =>
        Assert.Contains("wildcard", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory] // RFC 9700 §4.1.3
    [InlineData("https://c1.example@evil.com/cb")]
    [InlineData("https://a@b@c1.example/cb")]
    [InlineData("https://c1.example:443@evil.com/cb")]
    [InlineData("http://127.0.0.1:8080@evil.com/cb")]
    [InlineData("https://@c1.example/cb")]
    public void Redirect_uri_with_user_information_is_refused(string uri) =>
        Assert.NotNull(RedirectUriRules.Validate(uri));

    [Theory] // CVE-2026-3872
    [InlineData("https://c1.example/cb/../x")]
    [InlineData("https://c1.example/cb/./x")]
    [InlineData("https://c1.example/cb/..;/x")]
    [InlineData("https://c1.example/cb/%2e%2e/x")]
    [InlineData("https://c1.example/cb/%2E/x")]
    [InlineData("https://c1.example/cb/..")]
    [InlineData("https://c1.example/cb/.%2e/x")]
    [InlineData("https://c1.example/cb/%2E./x")]
    [InlineData("com.example.app:/cb/../x")]
    public void Redirect_uri_with_dot_segments_is_refused(string uri) =>
        Assert.Contains("path segments", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("https://c1.example/c\tb")]
    [InlineData("https://c1.example/c\rb")]
    [InlineData("https://c1.example/c\nb")]
    [InlineData("https://c1.example/c\0b")]
    [InlineData("https://c1.example/c b")]
    [InlineData(" https://c1.example/cb")]
    [InlineData("https://c1.example/cb ")]
    [InlineData("https://c1.example\\@evil.com/cb")]
    [InlineData("https://c1.example/\u017fcb")]
    [InlineData("https://c1.example/\u212acb")]
    [InlineData("https://c\u0131.example/cb")]
    [InlineData("https://c1.example/cb\u007f")]
    public void Redirect_uri_with_whitespace_controls_backslash_or_non_ascii_is_refused(string uri) =>
        Assert.Contains("printable ASCII", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("/cb")]
    [InlineData("cb")]
    [InlineData("//c1.example/cb")]
    public void Relative_redirect_uri_is_refused(string uri) =>
        Assert.NotNull(RedirectUriRules.Validate(uri));

    [Theory]
    [InlineData("/cb")]
    [InlineData("//c1.example/cb")]
    [InlineData("cb")]
    [InlineData("?x=1:2")]
    [InlineData("/cb?x=1:2")]
    [InlineData("c1.example/cb:8080")]
    public void Redirect_uri_that_does_not_start_with_a_scheme_is_refused_as_not_absolute(string uri) =>
        Assert.Contains("absolute", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory] // ';' read as a query separator by some client parsers
    [InlineData("https://c1.example/cb?a=1;state=x")]
    [InlineData("https://c1.example/cb?a=1;code=1")]
    [InlineData("https://c1.example/cb?code=1;a=1")]
    [InlineData("com.example.app:/cb?a=1;state=x")]
    public void Redirect_uri_with_a_response_parameter_after_a_semicolon_is_refused(string uri) =>
        Assert.Contains("response parameters", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://127.1/cb")]
    [InlineData("http://0x7f.0.0.1/cb")]
    [InlineData("http://2130706433/cb")]
    [InlineData("http://127.000.000.001/cb")]
    [InlineData("http://[::ffff:127.0.0.1]/cb")]
    [InlineData("http://[0:0:0:0:0:0:0:1]/cb")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:8080/cb")]
    [InlineData("http://LOCALHOST/cb")]
    [InlineData("http://LocalHost:3000/cb")]
    public void Non_canonical_spelling_of_a_loopback_host_over_http_is_refused(string uri) =>
        Assert.Contains("must use https; http is allowed only for loopback", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://127.0.0.1/cb")]
    [InlineData("http://127.0.0.1:49152/cb")]
    [InlineData("http://[::1]:8080/cb")]
    [InlineData("http://localhost/cb")]
    [InlineData("http://localhost:3000/cb?x=1")]
    public void Canonical_loopback_redirect_uri_over_http_is_accepted(string uri) =>
        Assert.Null(RedirectUriRules.Validate(uri));

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void Empty_redirect_uri_is_refused(string? uri) =>
        Assert.Equal("must not be empty", RedirectUriRules.Validate(uri));

    [Fact]
    public void Redirect_uri_over_2000_characters_is_refused()
    {
        var prefix = "https://c1.example/";
        var tooLong = prefix + new string('a', 2001 - prefix.Length);

        Assert.Contains("2000", RedirectUriRules.Validate(tooLong), StringComparison.Ordinal);
    }

    [Fact]
    public void Redirect_uri_of_2000_characters_is_accepted()
    {
        var prefix = "https://c1.example/";

        Assert.Null(RedirectUriRules.Validate(prefix + new string('a', 2000 - prefix.Length)));
    }

    [Theory]
    [InlineData("HTTPS://c1.example/cb")]
    [InlineData("Https://c1.example/cb")]
    [InlineData("HTTP://127.0.0.1/cb")]
    [InlineData("Com.Example.App:/cb")]
    public void Redirect_uri_with_upper_case_scheme_is_refused(string uri) =>
        Assert.Contains("lower-case scheme", RedirectUriRules.Validate(uri), StringComparison.Ordinal);

    [Theory]
    [InlineData("http://127.0.0.1/cb", true)]
    [InlineData("http://[::1]/cb", true)]
    [InlineData("http://localhost/cb", true)]
    [InlineData("http://127.0.0.1.evil.com/cb", false)]
    [InlineData("http://c1.example/cb", false)]
    [InlineData("http://127.0.0.1:49152/cb", true)]
    [InlineData("http://[::1]:8080/cb", true)]
    [InlineData("http://127.1/cb", false)]
    [InlineData("http://0x7f.0.0.1/cb", false)]
    [InlineData("http://2130706433/cb", false)]
    [InlineData("http://[0:0:0:0:0:0:0:1]/cb", false)]
    [InlineData("http://LOCALHOST/cb", false)]
    public void IsLoopbackHost_recognises_loopback_literals_and_localhost(string uri, bool expected) =>
        Assert.Equal(expected, RedirectUriRules.IsLoopbackHost(new Uri(uri)));
}
