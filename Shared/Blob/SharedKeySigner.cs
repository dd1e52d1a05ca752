using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace HmRec.Shared.Blob;

/// <summary>
/// Signs Blob service requests with Shared Key: HMAC-SHA256 with the account key over the verb, the
/// standard headers, the canonicalised <c>x-ms-*</c> headers and the canonicalised resource (account,
/// path, and query parameters sorted by name), as the Azure Storage REST reference defines it.
/// </summary>
internal static class SharedKeySigner
{
    public static void Sign(HttpRequestMessage request, StorageAccount account)
    {
        var content = request.Content?.Headers;
        var length = content?.ContentLength is long l && l > 0 ? l.ToString(CultureInfo.InvariantCulture) : "";
        string Header(string name) => request.Headers.TryGetValues(name, out var v) ? string.Join(",", v) : "";
        var builder = new StringBuilder()
            .Append(request.Method.Method.ToUpperInvariant()).Append('\n')
            .Append(content?.ContentEncoding is { Count: > 0 } e ? string.Join(",", e) : "").Append('\n')
            .Append(content?.ContentLanguage is { Count: > 0 } lang ? string.Join(",", lang) : "").Append('\n')
            .Append(length).Append('\n')
            .Append(content?.ContentMD5 is { } md5 ? Convert.ToBase64String(md5) : "").Append('\n')
            .Append(content?.ContentType?.ToString() ?? "").Append('\n')
            .Append('\n') // Date: x-ms-date is used instead
            .Append(Header("If-Modified-Since")).Append('\n')
            .Append(Header("If-Match")).Append('\n')
            .Append(Header("If-None-Match")).Append('\n')
            .Append(Header("If-Unmodified-Since")).Append('\n')
            .Append(Header("Range")).Append('\n');
        foreach (var (name, value) in request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: string.Join(",", h.Value).Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }
        var uri = request.RequestUri!;
        builder.Append('/').Append(account.Name).Append(uri.AbsolutePath);
        var query = uri.Query.TrimStart('?');
        if (query.Length > 0)
        {
            foreach (var group in query.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => p.Split('=', 2))
                .GroupBy(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "")
                .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                builder.Append('\n').Append(group.Key).Append(':').Append(string.Join(",", group.Order(StringComparer.Ordinal)));
            }
        }
        var signature = Convert.ToBase64String(HMACSHA256.HashData(account.Key, Encoding.UTF8.GetBytes(builder.ToString())));
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", $"{account.Name}:{signature}");
    }
}
