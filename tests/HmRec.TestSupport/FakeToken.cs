using System.Collections.Concurrent;
using Azure.Core;

namespace HmRec.TestSupport;

/// <summary>A credential that hands out <see cref="FakeResourceManager.Token"/> and records the scopes asked for.</summary>
public sealed class FakeToken : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (var s in requestContext.Scopes)
        {
            Scopes.Enqueue(s);
        }
        return new AccessToken(FakeResourceManager.Token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
