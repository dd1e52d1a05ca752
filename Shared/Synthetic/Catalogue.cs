namespace HmRec.Shared.Synthetic;

/// <summary>
/// The generated catalogue: product codes with colour variants (articles), each product with a launch
/// day, a popularity that rises after launch and decays, a season, a price and a few outfit partners.
/// </summary>
internal sealed class Catalogue
{
    /// <summary>The real file's prices are list prices (29.99, 17.99, ...) divided by 590.</summary>
    private const double ListPriceScale = 590.0;
    private static readonly HashSet<string> WomenOnly =
        ["Dress", "Skirt", "Blouse", "Bra", "Bikini top", "Swimsuit", "Jumpsuit/Playsuit", "Leggings/Tights", "Underwear Tights", "Earring"];

    private readonly ulong seed;
    private readonly double concentration;
    private readonly double turnover;

    public Catalogue(SyntheticOptions options, int days)
    {
        seed = options.Seed;
        concentration = options.PopularityConcentration;
        turnover = options.CatalogueTurnover;
        Days = days;
        var products = options.ProductCodes;
        ProductType = new int[products];
        ProductSection = new int[products];
        LaunchDay = new int[products];
        Popularity = new float[products];
        RiseDays = new float[products];
        DecayDays = new float[products];
        ProductCode = new int[products];
        Appearance = new int[products];
        FirstArticle = new int[products + 1];
        Partners = new int[products][];
        BuildProducts(products);
        BuildArticles(options.Articles, products);
        BuildAppeal();
        BuildPartners(products);
        SectionArticles = Enumerable.Range(0, Taxonomy.Sections.Length)
            .Select(s => Enumerable.Range(0, ArticleCount).Where(a => ProductSection[ArticleProduct[a]] == s).ToArray())
            .ToArray();
    }

    public int Days { get; }

    public int[] ProductType { get; }

    public int[] ProductSection { get; }

    /// <summary>Day (0 = first day of the data) the product went on sale; negative for older products.</summary>
    public int[] LaunchDay { get; }

    public float[] Popularity { get; }

    public float[] RiseDays { get; }

    public float[] DecayDays { get; }

    public int[] ProductCode { get; }

    public int[] Appearance { get; }

    /// <summary>Articles of product p are FirstArticle[p] .. FirstArticle[p+1]-1.</summary>
    public int[] FirstArticle { get; }

    /// <summary>Products often bought together with this one (a top and a bottom of one collection).</summary>
    public int[][] Partners { get; }

    public int ArticleCount => ArticleProduct.Length;

    public int[] ArticleProduct { get; private set; } = [];

    public int[] ArticleColour { get; private set; } = [];

    public float[] VariantWeight { get; private set; } = [];

    /// <summary>Popularity × colour share, shaped by the popularity concentration (see <see cref="BuildAppeal"/>).</summary>
    public float[] Appeal { get; private set; } = [];

    public double[] Price { get; private set; } = [];

    public byte[][] ArticleIdUtf8 { get; private set; } = [];

    public byte[][] PriceUtf8 { get; private set; } = [];

    public byte[][] SalePriceUtf8 { get; private set; } = [];

    public int[][] SectionArticles { get; }

    /// <summary>Demand for one article on one day, before customer taste: popularity × lifecycle × season × colour share.</summary>
    public double Weight(int article, int day, double seasonPhase)
    {
        var p = ArticleProduct[article];
        var age = day - LaunchDay[p];
        if (age < 0)
        {
            return 0;
        }
        var season = Taxonomy.ProductTypes[ProductType[p]].Season;
        var seasonal = season == 0 ? 1.0 : Math.Exp(0.9 * season * seasonPhase);
        return Appeal[article] * Life(p, age) * seasonal;
    }

    /// <summary>True while the article still sells: launched, and its lifecycle not yet decayed below 5 % (basics sell for years).</summary>
    public bool Selling(int article, int day)
    {
        var p = ArticleProduct[article];
        var age = day - LaunchDay[p];
        return age >= 0 && Life(p, age) >= 0.05;
    }

    /// <summary>True when the article is old enough to be sold at a markdown on that day.</summary>
    public bool CanBeOnSale(int article, int day) => day - LaunchDay[ArticleProduct[article]] > 45;

    public void WriteCsv(Stream stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        var csv = new CsvWriter(buffer);
        buffer.Write(Encoding.UTF8.GetBytes(HmSchema.Header(HmSchema.ArticleColumns) + "\n"));
        var departments = new Dictionary<(int Section, int GarmentGroup), int>();
        for (var a = 0; a < ArticleCount; a++)
        {
            var p = ArticleProduct[a];
            var type = Taxonomy.ProductTypes[ProductType[p]];
            var section = Taxonomy.Sections[ProductSection[p]];
            var index = Taxonomy.Indices.First(i => i.Code == section.IndexCode);
            var group = Taxonomy.IndexGroups.First(g => g.No == index.GroupNo);
            var colour = Taxonomy.Colours[ArticleColour[a]];
            var appearance = Taxonomy.Appearances[Appearance[p]];
            var key = (ProductSection[p], type.GarmentGroupNo);
            if (!departments.TryGetValue(key, out var department))
            {
                department = 1201 + (departments.Count * 37 % 9000);
                departments[key] = department;
            }
            var rng = Rng.For(seed, 11, (ulong)p);
            var stem = Taxonomy.NameStems[rng.Next(Taxonomy.NameStems.Length)];
            var variantNo = a - FirstArticle[p];
            var prodName = variantNo == 0 || !rng.Chance(0.3) ? $"{stem} {type.Name.ToLowerInvariant()}" : $"{stem} {type.Name.ToLowerInvariant()} ({variantNo})";
            var f1 = rng.Next(Taxonomy.Features.Length);
            var f2 = (f1 + 1 + rng.Next(Taxonomy.Features.Length - 2)) % Taxonomy.Features.Length;
            var f3 = (f2 + 1 + rng.Next(Taxonomy.Features.Length - 2)) % Taxonomy.Features.Length;
            f3 = f3 == f1 ? (f3 + 1) % Taxonomy.Features.Length == f2 ? (f3 + 2) % Taxonomy.Features.Length : (f3 + 1) % Taxonomy.Features.Length : f3;
            var description = rng.Chance(0.004) ? null :
                $"{Taxonomy.Adjectives[rng.Next(Taxonomy.Adjectives.Length)]} {type.Name.ToLowerInvariant()} in {Taxonomy.Materials[rng.Next(Taxonomy.Materials.Length)]} with " +
                $"{Taxonomy.Features[f1]}, {Taxonomy.Features[f2]} and {Taxonomy.Features[f3]}.";
            csv.Field(ArticleIdUtf8[a]).Field(ProductCode[p])
                .Field(prodName).Field(type.No).Field(type.Name).Field(type.Group)
                .Field(appearance.No).Field(appearance.Name)
                .Field(colour.Code).Field(colour.Name).Field(colour.ValueId).Field(colour.ValueName).Field(colour.MasterId).Field(colour.MasterName)
                .Field(department).Field($"{type.GarmentGroup} {section.Name.Split(' ')[0]}")
                .Field(section.IndexCode).Field(index.Name).Field(group.No).Field(group.Name)
                .Field(section.No).Field(section.Name).Field(type.GarmentGroupNo).Field(type.GarmentGroup)
                .Field(description);
            csv.EndRow();
            if (buffer.WrittenCount > (1 << 16) - 4096)
            {
                stream.Write(buffer.WrittenSpan);
                buffer.ResetWrittenCount();
            }
        }
        stream.Write(buffer.WrittenSpan);
    }

    private void BuildProducts(int products)
    {
        var sectionWeights = Taxonomy.Sections.Select(s => s.IndexCode switch
        {
            "A" => 1.6,
            "D" => 1.3,
            "B" or "F" => 1.0,
            "S" => 0.5,
            _ => 0.8,
        }).ToArray();
        var launch = new (int Day, int Product)[products];
        for (var p = 0; p < products; p++)
        {
            var rng = Rng.For(seed, 10, (ulong)p);
            var s = rng.Pick(sectionWeights);
            var section = Taxonomy.Sections[s];
            var men = section.IndexCode == "F" || section.Name.Contains("Men", StringComparison.Ordinal) || section.Name.Contains("Boy", StringComparison.Ordinal);
            var types = Enumerable.Range(0, Taxonomy.ProductTypes.Length)
                .Where(t => section.Families.Contains(Taxonomy.ProductTypes[t].Family) && !(men && WomenOnly.Contains(Taxonomy.ProductTypes[t].Name)))
                .ToArray();
            ProductSection[p] = s;
            ProductType[p] = types[rng.Next(types.Length)];
            Appearance[p] = rng.Pick(Taxonomy.Appearances.Select(a => a.Weight).ToArray());
            // Older products exist at the start; new ones keep arriving until the last week.
            LaunchDay[p] = rng.Chance(0.2) ? -rng.Next(400) : rng.Next(Math.Max(1, Days - 3));
            Popularity[p] = (float)Math.Exp(1.3 * rng.Normal());
            // Turnover shortens (or lengthens) every product's selling life; 1 leaves the drawn times as they are.
            RiseDays[p] = (3 + (float)(17 * rng.NextDouble())) / (float)turnover;
            DecayDays[p] = (rng.Chance(0.1) ? 3000f : 15f + (float)(-40 * Math.Log(1 - rng.NextDouble()))) / (float)turnover;
            launch[p] = (LaunchDay[p], p);
        }
        // Product codes grow with launch date, as in the real catalogue.
        Array.Sort(launch);
        const int lowCode = 108_775, highCode = 959_461;
        var step = (highCode - lowCode) / (double)products;
        for (var rank = 0; rank < products; rank++)
        {
            var jitter = step >= 2 ? Rng.For(seed, 12, (ulong)rank).Next((int)step) : 0;
            ProductCode[launch[rank].Product] = lowCode + (int)(rank * step) + jitter;
        }
    }

    private void BuildArticles(int articles, int products)
    {
        var variants = new int[products];
        var total = 0;
        for (var p = 0; p < products; p++)
        {
            variants[p] = Math.Min(40, 1 + Rng.For(seed, 13, (ulong)p).Geometric(0.4474));
            total += variants[p];
        }
        // Adjust to exactly the requested number of articles.
        var adjust = Rng.For(seed, 14);
        while (total != articles)
        {
            var p = adjust.Next(products);
            if (total > articles && variants[p] > 1)
            {
                variants[p]--;
                total--;
            }
            else if (total < articles && variants[p] < 40)
            {
                variants[p]++;
                total++;
            }
        }

        ArticleProduct = new int[articles];
        ArticleColour = new int[articles];
        VariantWeight = new float[articles];
        Price = new double[articles];
        ArticleIdUtf8 = new byte[articles][];
        PriceUtf8 = new byte[articles][];
        SalePriceUtf8 = new byte[articles][];
        var colourWeights = Taxonomy.Colours.Select(c => c.Weight).ToArray();
        var a = 0;
        for (var p = 0; p < products; p++)
        {
            FirstArticle[p] = a;
            var rng = Rng.For(seed, 15, (ulong)p);
            var type = Taxonomy.ProductTypes[ProductType[p]];
            var listPrice = RoundListPrice(type.ListPrice * Math.Exp(0.35 * rng.Normal()));
            var variantNo = 0;
            for (var v = 0; v < variants[p]; v++, a++)
            {
                variantNo += v == 0 ? 1 : 1 + rng.Geometric(0.7);
                variantNo = Math.Min(variantNo, 999 - (variants[p] - v));
                ArticleProduct[a] = p;
                ArticleColour[a] = rng.Pick(colourWeights);
                VariantWeight[a] = (float)(Math.Exp(-0.5 * v) * (0.3 + 0.7 * rng.NextDouble()));
                var articleListPrice = rng.Chance(0.1) ? listPrice + 5 : listPrice;
                Price[a] = articleListPrice / ListPriceScale;
                ArticleIdUtf8[a] = Encoding.ASCII.GetBytes(((long)ProductCode[p] * 1000 + variantNo).ToString("D10", CultureInfo.InvariantCulture));
                PriceUtf8[a] = Encoding.ASCII.GetBytes(Price[a].ToString("R", CultureInfo.InvariantCulture));
                SalePriceUtf8[a] = Encoding.ASCII.GetBytes((RoundListPrice(articleListPrice * 0.6) / ListPriceScale).ToString("R", CultureInfo.InvariantCulture));
            }
        }
        FirstArticle[products] = a;
    }

    /// <summary>
    /// An article's demand before lifecycle and season. Concentration c raises popularity × colour share to the power c
    /// and weighs a product by its selling mass (the sum of its lifecycle over a period's length) to the power c - 1,
    /// so that c = 0 gives every article the same expected sales over its life: long-selling basics stop being hits.
    /// </summary>
    private void BuildAppeal()
    {
        Appeal = new float[ArticleCount];
        for (var a = 0; a < Appeal.Length; a++)
        {
            // The product of two floats, as the original weight computed it, so that concentration 1 changes no bit.
            var appeal = Popularity[ArticleProduct[a]] * VariantWeight[a];
            if (concentration != 1)
            {
                var p = ArticleProduct[a];
                var mass = SellingMass(RiseDays[p], DecayDays[p], Days) / Days;
                appeal = (float)(Math.Pow(appeal, concentration) * Math.Pow(mass, concentration - 1));
            }
            Appeal[a] = appeal;
        }
    }

    /// <summary>The lifecycle of product p at an age in days: a rise after launch, then a decay.</summary>
    private double Life(int p, int age) => (1 - Math.Exp(-(age + 1) / RiseDays[p])) * Math.Exp(-age / DecayDays[p]);

    /// <summary>Sum over ages 0 .. days-1 of the lifecycle (1 - e^(-(age+1)/rise)) e^(-age/decay), in closed form.</summary>
    private static double SellingMass(double rise, double decay, int days)
    {
        var q1 = Math.Exp(-1 / decay);
        var q2 = Math.Exp((-1 / rise) - (1 / decay));
        return ((1 - Math.Pow(q1, days)) / (1 - q1)) - (Math.Exp(-1 / rise) * (1 - Math.Pow(q2, days)) / (1 - q2));
    }

    private void BuildPartners(int products)
    {
        // Outfits: products of the same index group but another product group, launched close together.
        var byIndex = Enumerable.Range(0, products)
            .GroupBy(p => Taxonomy.Sections[ProductSection[p]].IndexCode)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => LaunchDay[p]).ThenBy(p => p).ToArray());
        var position = new int[products];
        foreach (var list in byIndex.Values)
        {
            for (var i = 0; i < list.Length; i++)
            {
                position[list[i]] = i;
            }
        }
        for (var p = 0; p < products; p++)
        {
            var type = Taxonomy.ProductTypes[ProductType[p]];
            var list = byIndex[Taxonomy.Sections[ProductSection[p]].IndexCode];
            var partners = new List<int>(3);
            if (type.Pairs)
            {
                var rng = Rng.For(seed, 16, (ulong)p);
                for (var attempt = 0; attempt < 30 && partners.Count < 3; attempt++)
                {
                    var q = list[Math.Clamp(position[p] + rng.Next(61) - 30, 0, list.Length - 1)];
                    var other = Taxonomy.ProductTypes[ProductType[q]];
                    if (q != p && other.Pairs && other.Group != type.Group && !partners.Contains(q))
                    {
                        partners.Add(q);
                    }
                }
            }
            Partners[p] = [.. partners];
        }
    }

    private static double RoundListPrice(double price) => Math.Max(2.99, Math.Round(price) - 0.01);
}
