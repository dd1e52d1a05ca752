namespace HmRec.Shared.Synthetic;

/// <summary>
/// Turns customers and catalogue into transaction rows, day by day in date order. Each customer's
/// rows are split into shopping sessions (baskets) on days drawn from a seasonal shopping intensity
/// within the customer's active period; each pick in a basket is an outfit partner of the previous
/// pick, another colour of it, a repurchase, or a new article from a favourite (or age-typical)
/// section, matched to the customer's price level. Some picks are bought in several units, which
/// repeats the row. With a repurchase horizon, an article waits a drawn time before the customer buys
/// it again; with long or seasonal repurchases some waits last months or about a year. Memory is bounded by
/// customers and articles, never by rows, except that with long or seasonal waits each customer remembers up to
/// one article per row (at most 1,024; 7 bytes each).
/// </summary>
internal sealed class TransactionSimulator
{
    /// <summary>Articles a customer remembers for repurchase with no wait (the original generator).</summary>
    private const int ShortRing = 8;

    /// <summary>With a wait, a longer memory, so that articles still come due after newer ones were bought.</summary>
    private const int LongRing = 24;

    /// <summary>
    /// With long or seasonal waits a customer remembers as many articles as they have rows, up to this many, so that
    /// a wait of a year is not forgotten (which would let the article be bought again by chance before it is over).
    /// </summary>
    private const int MixedRing = 1024;

    /// <summary>Days after a purchase when a seasonal repurchase is due, and the days it stays in season after that.</summary>
    private const int SeasonalWait = 351, SeasonalWindow = 28;

    /// <summary>Chance that a pick is a seasonal repurchase whose season has come.</summary>
    private const double SeasonalPull = 0.5;

    /// <summary>With long or seasonal waits, picks tried before a basket takes an article still waiting.</summary>
    private const int MixedRetries = 16;

    /// <summary>Long waits: this many days plus a gamma(2) wait of <see cref="LongWaitMean"/>.</summary>
    private const double LongWaitMin = 168, LongWaitMean = 120;
    private const int ChunkSessions = 256;

    private readonly SyntheticOptions options;
    private readonly Catalogue catalogue;
    private readonly CustomerPopulation customers;
    private readonly int days;
    private readonly double[] cumulativeIntensity;
    private readonly float[] relativePrice;
    private readonly double[] sectionReference;
    private readonly int ringSize;
    private readonly double repurchaseWait;
    private readonly bool mixed;
    private readonly bool waits;
    private readonly double longShare;
    private readonly double seasonalShare;
    private readonly int[] ringStart;
    private readonly bool[] ringSeasonal;
    private readonly int[] ring;
    private readonly short[] ringDue;
    private readonly byte[] ringCount;
    private readonly ushort[] heldCount;

    public TransactionSimulator(SyntheticOptions options, Catalogue catalogue, CustomerPopulation customers, int days)
    {
        this.options = options;
        this.catalogue = catalogue;
        this.customers = customers;
        this.days = days;
        cumulativeIntensity = new double[days + 1];
        for (var t = 0; t < days; t++)
        {
            cumulativeIntensity[t + 1] = cumulativeIntensity[t] + Intensity(t);
        }
        relativePrice = new float[catalogue.ArticleCount];
        for (var a = 0; a < relativePrice.Length; a++)
        {
            relativePrice[a] = (float)(catalogue.Price[a] * 590 / Taxonomy.ProductTypes[catalogue.ProductType[catalogue.ArticleProduct[a]]].ListPrice);
        }
        sectionReference = new double[catalogue.SectionArticles.Length];
        for (var k = 0; k < 24; k++)
        {
            // A section's typical demand, from days spread over the period; seasons move demand around it.
            var t = (int)((k + 0.5) * days / 24);
            var phase = SeasonPhase(t);
            for (var s = 0; s < sectionReference.Length; s++)
            {
                foreach (var a in catalogue.SectionArticles[s])
                {
                    sectionReference[s] += catalogue.Weight(a, t, phase) / 24;
                }
            }
        }
        repurchaseWait = options.RepurchaseHorizonDays;
        longShare = options.LongRepurchaseShare;
        seasonalShare = options.SeasonalRepurchaseShare;
        mixed = longShare > 0 || seasonalShare > 0;
        waits = repurchaseWait > 0 || mixed;
        ringSize = mixed ? MixedRing : repurchaseWait == 0 ? ShortRing : LongRing;
        ringStart = mixed ? new int[customers.Count + 1] : [];
        for (var c = 0; c < ringStart.Length - 1; c++)
        {
            ringStart[c + 1] = ringStart[c] + Math.Min(customers.Rows[c], MixedRing);
        }
        var slots = mixed ? ringStart[^1] : customers.Count * ringSize;
        ring = new int[slots];
        ringDue = waits ? new short[slots] : [];
        ringSeasonal = seasonalShare > 0 ? new bool[slots] : [];
        ringCount = mixed ? [] : new byte[customers.Count];
        heldCount = mixed ? new ushort[customers.Count] : [];
    }

    /// <summary>
    /// Writes the header and every row up to the day before <paramref name="writtenDays"/> (all days by default; the days
    /// after it are not simulated, so every earlier row is the same); reports progress once per simulated day.
    /// </summary>
    public long Write(Stream stream, Action<int>? dayDone, CancellationToken cancellationToken, int? writtenDays = null)
    {
        var (dayStart, sessionCustomer, sessionRows) = PlanSessions();
        stream.Write(Encoding.UTF8.GetBytes(HmSchema.Header(HmSchema.TransactionColumns) + "\n"));

        var weights = new double[catalogue.ArticleCount];
        var cumulative = catalogue.SectionArticles.Select(list => new double[list.Length]).ToArray();
        var sectionTotals = new double[cumulative.Length];
        long rows = 0;
        var buffers = new ArrayBufferWriter<byte>[Math.Max(1, (sessionCustomer.Length / Math.Max(1, days) / ChunkSessions) + 64)];
        for (var t = 0; t < Math.Min(days, writtenDays ?? days); t++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var phase = SeasonPhase(t);
            Parallel.For(0, cumulative.Length, s =>
            {
                var list = catalogue.SectionArticles[s];
                double sum = 0;
                for (var i = 0; i < list.Length; i++)
                {
                    var w = catalogue.Weight(list[i], t, phase);
                    weights[list[i]] = w;
                    sum += w;
                    cumulative[s][i] = sum;
                }
                sectionTotals[s] = sum;
            });

            var first = dayStart[t];
            var count = dayStart[t + 1] - first;
            var chunks = (count + ChunkSessions - 1) / ChunkSessions;
            if (buffers.Length < chunks)
            {
                Array.Resize(ref buffers, chunks);
            }
            var dayRows = new long[chunks];
            var date = Encoding.ASCII.GetBytes(SyntheticOptions.FirstDay.AddDays(t).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ",");
            Parallel.For(0, chunks, k =>
            {
                var buffer = buffers[k] ??= new ArrayBufferWriter<byte>(1 << 16);
                buffer.ResetWrittenCount();
                var end = Math.Min(count, (k + 1) * ChunkSessions);
                for (var i = first + (k * ChunkSessions); i < first + end; i++)
                {
                    dayRows[k] += Session(sessionCustomer[i], t, sessionRows[i], date, cumulative, sectionTotals, buffer);
                }
            });
            for (var k = 0; k < chunks; k++)
            {
                stream.Write(buffers[k].WrittenSpan);
                rows += dayRows[k];
            }
            dayDone?.Invoke(t);
        }
        return rows;
    }

    /// <summary>+1 in mid-July, -1 in mid-January.</summary>
    private static double SeasonPhase(int t) => Math.Cos(2 * Math.PI * (SyntheticOptions.FirstDay.AddDays(t).DayOfYear - 196) / 365.0);

    /// <summary>Shopping intensity of a day: growth, a summer peak, sales weeks and weekends.</summary>
    private double Intensity(int t)
    {
        var date = SyntheticOptions.FirstDay.AddDays(t);
        var g = (1 + (0.35 * t / days)) * (1 + (0.25 * Math.Cos(2 * Math.PI * (date.DayOfYear - 185) / 365.0)));
        if (date.Month == 11 && date.Day is >= 23 and <= 29)
        {
            g *= 1.8;
        }
        if ((date.Month == 6 && date.Day >= 20) || (date.Month == 7 && date.Day <= 5) || (date.Month == 12 && date.Day is >= 10 and <= 22))
        {
            g *= 1.3;
        }
        return date.DayOfWeek is DayOfWeek.Saturday ? g * 1.15 : date.DayOfWeek is DayOfWeek.Sunday ? g * 0.95 : g;
    }

    /// <summary>Splits every customer's rows into baskets on days of their active period; returns sessions grouped by day, by customer within a day.</summary>
    private (int[] DayStart, int[] Customer, short[] Rows) PlanSessions()
    {
        var plans = new (short Day, short Rows)[customers.Count][];
        Parallel.For(0, customers.Count, c =>
        {
            var remaining = customers.Rows[c];
            if (remaining == 0)
            {
                plans[c] = [];
                return;
            }
            var rng = Rng.For(options.Seed, 30, (ulong)c);
            var baskets = new List<(short Day, short Rows)>();
            // Heavy customers shop in bigger baskets, not only more often.
            var extra = Math.Clamp(1.3 * Math.Pow(customers.Rows[c] / 9.0, 0.6), 0.4, 15);
            var basketP = 1 / (1 + extra);
            var lo = cumulativeIntensity[customers.StartDay[c]];
            var hi = cumulativeIntensity[customers.EndDay[c] + 1];
            while (remaining > 0)
            {
                var size = Math.Min(remaining, Math.Min(60, 1 + rng.Geometric(basketP)));
                remaining -= size;
                var u = lo + (rng.NextDouble() * (hi - lo));
                var day = Array.BinarySearch(cumulativeIntensity, u);
                day = day >= 0 ? day : ~day - 1;
                baskets.Add(((short)Math.Clamp(day, customers.StartDay[c], customers.EndDay[c]), (short)size));
            }
            baskets.Sort((x, y) => x.Day.CompareTo(y.Day));
            // Two baskets on one day are one session.
            var merged = new List<(short Day, short Rows)>(baskets.Count);
            foreach (var b in baskets)
            {
                if (merged.Count > 0 && merged[^1].Day == b.Day)
                {
                    merged[^1] = (b.Day, (short)Math.Min(short.MaxValue, merged[^1].Rows + b.Rows));
                }
                else
                {
                    merged.Add(b);
                }
            }
            plans[c] = [.. merged];
        });

        var dayStart = new int[days + 1];
        foreach (var plan in plans)
        {
            foreach (var (day, _) in plan)
            {
                dayStart[day + 1]++;
            }
        }
        for (var t = 0; t < days; t++)
        {
            dayStart[t + 1] += dayStart[t];
        }
        var next = dayStart[..days];
        var customer = new int[dayStart[days]];
        var rows = new short[dayStart[days]];
        for (var c = 0; c < plans.Length; c++)
        {
            foreach (var (day, size) in plans[c])
            {
                var i = next[day]++;
                customer[i] = c;
                rows[i] = size;
            }
        }
        return (dayStart, customer, rows);
    }

    private int Session(int c, int day, int rows, byte[] date, double[][] cumulative, double[] sectionTotals, ArrayBufferWriter<byte> output)
    {
        var rng = Rng.For(options.Seed, 31, (ulong)c, (ulong)day);
        var channel = rng.Chance(customers.Online[c]) ? (byte)'2' : (byte)'1';
        Span<byte> hex = stackalloc byte[64];
        CustomerPopulation.WriteHex(customers.IdWords.AsSpan(c * 4, 4), hex);
        var written = 0;
        var previous = -1;
        Span<int> basket = rows <= 64 ? stackalloc int[rows] : new int[rows];
        var distinct = 0;
        while (written < rows)
        {
            // A basket rarely holds one article twice except as several units of it, nor, with a repurchase horizon,
            // an article the customer bought and is not yet ready to buy again. With long waits a heavy buyer may have
            // bought most of their sections' articles, so the later tries look anywhere.
            var article = Pick(c, day, previous, ref rng, cumulative, sectionTotals);
            for (var retry = 0; retry < (mixed ? MixedRetries : 4) && (basket[..distinct].Contains(article) || Waiting(c, article, day)); retry++)
            {
                article = mixed && retry >= MixedRetries / 2 ? Anywhere(ref rng, cumulative, sectionTotals) : Pick(c, day, -1, ref rng, cumulative, sectionTotals);
            }
            basket[distinct++] = article;
            var sale = catalogue.CanBeOnSale(article, day) && rng.Chance(0.3);
            var units = written + 1 < rows && rng.Chance(0.14) ? 2 : 1;
            for (var u = 0; u < units; u++)
            {
                WriteRow(output, date, hex, article, sale, channel);
            }
            written += units;
            Remember(c, article, day, ref rng);
            previous = article;
        }
        return written;
    }

    private int Pick(int c, int day, int previous, ref Rng rng, double[][] cumulative, double[] sectionTotals)
    {
        if (previous >= 0)
        {
            var product = catalogue.ArticleProduct[previous];
            var partners = catalogue.Partners[product];
            if (partners.Length > 0 && rng.Chance(0.25))
            {
                var partner = partners[rng.Next(partners.Length)];
                if (catalogue.LaunchDay[partner] <= day)
                {
                    return Variant(partner, ref rng);
                }
            }
            if (catalogue.FirstArticle[product + 1] - catalogue.FirstArticle[product] > 1 && rng.Chance(0.06))
            {
                return Variant(product, ref rng);
            }
        }
        var known = Held(c);
        if (seasonalShare > 0 && known > 0)
        {
            var again = InSeason(c, day, ref rng);
            if (again >= 0)
            {
                return again;
            }
        }
        if (known > 0 && rng.Chance(customers.Repurchase[c]))
        {
            var held = Math.Min(known, Capacity(c));
            if (!waits)
            {
                return ring[(c * ringSize) + rng.Next(held)];
            }
            var repurchase = Due(c, day, held, ref rng);
            if (repurchase >= 0)
            {
                return repurchase;
            }
        }

        // A favourite section out of season is often passed over for another one.
        var section = customers.PickSection(c, day, ref rng);
        for (var attempt = 0; attempt < 3 && rng.NextDouble() > 0.7 * sectionTotals[section] / Math.Max(1e-12, sectionReference[section]); attempt++)
        {
            section = customers.PickSection(c, day, ref rng);
        }
        if (sectionTotals[section] <= 0)
        {
            section = rng.Pick(sectionTotals);
        }
        var list = catalogue.SectionArticles[section];
        var cum = cumulative[section];
        var level = customers.PriceLevel[c];
        var chosen = 0;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var index = Array.BinarySearch(cum, rng.NextDouble() * sectionTotals[section]);
            chosen = list[Math.Min(index >= 0 ? index : ~index, list.Length - 1)];
            var misfit = Math.Log(relativePrice[chosen] / level);
            if (rng.NextDouble() < Math.Exp(-misfit * misfit / 0.25))
            {
                break;
            }
        }
        return chosen;
    }

    /// <summary>An article of any section, in proportion to the day's demand.</summary>
    private int Anywhere(ref Rng rng, double[][] cumulative, double[] sectionTotals)
    {
        var section = rng.Pick(sectionTotals);
        var list = catalogue.SectionArticles[section];
        var index = Array.BinarySearch(cumulative[section], rng.NextDouble() * sectionTotals[section]);
        return list[Math.Min(index >= 0 ? index : ~index, list.Length - 1)];
    }

    /// <summary>A colour variant of a product, in proportion to each colour's share of its sales.</summary>
    private int Variant(int product, ref Rng rng)
    {
        var first = catalogue.FirstArticle[product];
        var count = catalogue.FirstArticle[product + 1] - first;
        Span<double> w = stackalloc double[count];
        for (var i = 0; i < count; i++)
        {
            w[i] = catalogue.VariantWeight[first + i];
        }
        return first + rng.Pick(w);
    }

    /// <summary>A remembered article whose wait is over and that is still on sale, uniformly among those; -1 when none is.</summary>
    private int Due(int c, int day, int held, ref Rng rng)
    {
        var due = ringDue.AsSpan(Base(c), held);
        var articles = ring.AsSpan(Base(c), held);
        Span<bool> ready = stackalloc bool[held];
        var count = 0;
        for (var i = 0; i < held; i++)
        {
            ready[i] = due[i] <= day && catalogue.Selling(articles[i], day);
            count += ready[i] ? 1 : 0;
        }
        if (count == 0)
        {
            return -1;
        }
        var k = rng.Next(count);
        for (var i = 0; ; i++)
        {
            if (ready[i] && k-- == 0)
            {
                return articles[i];
            }
        }
    }

    /// <summary>
    /// With chance <see cref="SeasonalPull"/>, a seasonal repurchase in its season, still on sale and not bought again
    /// meanwhile (uniformly among those; it leaves the season); -1 otherwise.
    /// </summary>
    private int InSeason(int c, int day, ref Rng rng)
    {
        var first = Base(c);
        var end = first + heldCount[c];
        Span<int> slots = stackalloc int[MixedRing];
        var count = 0;
        for (var slot = first; slot < end; slot++)
        {
            if (ringSeasonal[slot] && ringDue[slot] <= day && day <= ringDue[slot] + SeasonalWindow
                && catalogue.Selling(ring[slot], day) && !Waiting(c, ring[slot], day))
            {
                slots[count++] = slot;
            }
        }
        if (count == 0 || !rng.Chance(SeasonalPull))
        {
            return -1;
        }
        var chosen = slots[rng.Next(count)];
        ringSeasonal[chosen] = false;
        return ring[chosen];
    }

    /// <summary>True when the customer bought the article recently and their wait to buy it again is not over.</summary>
    private bool Waiting(int c, int article, int day)
    {
        if (!waits)
        {
            return false;
        }
        var held = Held(c);
        var first = Base(c);
        for (var i = 0; i < held; i++)
        {
            if (ring[first + i] == article && ringDue[first + i] > day)
            {
                return true;
            }
        }
        return false;
    }

    private void Remember(int c, int article, int day, ref Rng rng)
    {
        int n = mixed ? heldCount[c] : ringCount[c];
        var slot = mixed ? Base(c) + Replaced(c, n, day) : (c * ringSize) + (n % ringSize);
        ring[slot] = article;
        if (mixed)
        {
            // A seasonal wait, a long one, or the horizon's gamma(2) wait.
            var u = rng.NextDouble();
            var season = u < seasonalShare;
            var wait = season ? SeasonalWait
                : u < seasonalShare + longShare ? LongWaitMin + Gamma2(LongWaitMean, ref rng)
                : Gamma2(repurchaseWait, ref rng);
            ringDue[slot] = (short)Math.Min(short.MaxValue, day + Math.Round(wait));
            if (seasonalShare > 0)
            {
                ringSeasonal[slot] = season;
            }
            heldCount[c] = (ushort)Math.Min(n + 1, Capacity(c));
            return;
        }
        if (repurchaseWait > 0)
        {
            // A gamma(2) wait with the configured mean: few repurchases come within a quarter of it, a few long after it.
            var wait = -0.5 * repurchaseWait * (Math.Log(1 - rng.NextDouble()) + Math.Log(1 - rng.NextDouble()));
            ringDue[slot] = (short)Math.Min(short.MaxValue, day + Math.Round(wait));
        }
        // Past 255 the count stays at or above the ring's size and keeps the next slot in turn.
        ringCount[c] = (byte)(n == 255 ? ringSize + (256 % ringSize) : n + 1);
    }

    /// <summary>
    /// The ring slot a new purchase takes: the next free one, else one whose article is no longer on sale (it cannot
    /// be bought again, so its wait no longer matters), else the one due longest ago.
    /// </summary>
    private int Replaced(int c, int known, int day)
    {
        var capacity = Capacity(c);
        if (known < capacity)
        {
            return known;
        }
        var first = Base(c);
        var oldest = 0;
        var oldestKey = int.MaxValue;
        for (var i = 0; i < capacity; i++)
        {
            var key = catalogue.Selling(ring[first + i], day) ? ringDue[first + i] : ringDue[first + i] - (1 << 20);
            if (key < oldestKey)
            {
                (oldest, oldestKey) = (i, key);
            }
        }
        return oldest;
    }

    /// <summary>Articles the customer remembers now.</summary>
    private int Held(int c) => mixed ? heldCount[c] : Math.Min(ringCount[c], ringSize);

    /// <summary>The customer's first slot in the ring arrays.</summary>
    private int Base(int c) => mixed ? ringStart[c] : c * ringSize;

    /// <summary>The customer's slots in the ring arrays.</summary>
    private int Capacity(int c) => mixed ? ringStart[c + 1] - ringStart[c] : ringSize;

    /// <summary>A gamma(2) draw with this mean.</summary>
    private static double Gamma2(double mean, ref Rng rng) => -0.5 * mean * (Math.Log(1 - rng.NextDouble()) + Math.Log(1 - rng.NextDouble()));

    private void WriteRow(ArrayBufferWriter<byte> output, byte[] date, ReadOnlySpan<byte> hex, int article, bool sale, byte channel)
    {
        var id = catalogue.ArticleIdUtf8[article];
        var price = sale ? catalogue.SalePriceUtf8[article] : catalogue.PriceUtf8[article];
        var span = output.GetSpan(date.Length + 64 + id.Length + price.Length + 5);
        date.CopyTo(span);
        var p = date.Length;
        hex.CopyTo(span[p..]);
        p += 64;
        span[p++] = (byte)',';
        id.CopyTo(span[p..]);
        p += id.Length;
        span[p++] = (byte)',';
        price.CopyTo(span[p..]);
        p += price.Length;
        span[p++] = (byte)',';
        span[p++] = channel;
        span[p++] = (byte)'\n';
        output.Advance(p);
    }
}
