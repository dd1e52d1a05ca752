namespace HmRec.Shared.Synthetic;

/// <summary>The product hierarchy the generator draws from, shaped like H&amp;M's catalogue.</summary>
internal static class Taxonomy
{
    /// <summary>What kind of products a section sells.</summary>
    internal enum Family
    {
        Garment,
        Underwear,
        Swimwear,
        Shoes,
        Accessories,
    }

    /// <summary>Season of a product type: +1 sells in summer, -1 in winter, 0 all year.</summary>
    internal sealed record ProductType(int No, string Name, string Group, Family Family, int GarmentGroupNo, string GarmentGroup, int Season, double ListPrice, bool Pairs);

    internal sealed record IndexGroup(int No, string Name);

    internal sealed record Index(string Code, string Name, int GroupNo);

    internal sealed record Section(int No, string Name, string IndexCode, Family[] Families);

    internal sealed record Colour(int Code, string Name, int ValueId, string ValueName, int MasterId, string MasterName, double Weight);

    internal sealed record Appearance(int No, string Name, double Weight);

    internal static readonly ProductType[] ProductTypes =
    [
        new(255, "T-shirt", "Garment Upper body", Family.Garment, 1005, "Jersey Fancy", 1, 14.9, true),
        new(254, "Top", "Garment Upper body", Family.Garment, 1005, "Jersey Fancy", 0, 19.9, true),
        new(253, "Vest top", "Garment Upper body", Family.Garment, 1002, "Jersey Basic", 1, 9.9, true),
        new(252, "Sweater", "Garment Upper body", Family.Garment, 1003, "Knitwear", -1, 29.9, true),
        new(258, "Blouse", "Garment Upper body", Family.Garment, 1010, "Blouses", 0, 24.9, true),
        new(259, "Shirt", "Garment Upper body", Family.Garment, 1011, "Shirts", 0, 29.9, true),
        new(245, "Hoodie", "Garment Upper body", Family.Garment, 1005, "Jersey Fancy", -1, 29.9, true),
        new(262, "Cardigan", "Garment Upper body", Family.Garment, 1003, "Knitwear", -1, 34.9, true),
        new(264, "Jacket", "Garment Upper body", Family.Garment, 1007, "Outdoor", -1, 49.9, true),
        new(267, "Coat", "Garment Upper body", Family.Garment, 1007, "Outdoor", -1, 79.9, false),
        new(301, "Blazer", "Garment Upper body", Family.Garment, 1009, "Dressed", 0, 59.9, true),
        new(272, "Trousers", "Garment Lower body", Family.Garment, 1009, "Trousers", 0, 34.9, true),
        new(274, "Shorts", "Garment Lower body", Family.Garment, 1025, "Shorts", 1, 19.9, true),
        new(275, "Skirt", "Garment Lower body", Family.Garment, 1012, "Skirts", 1, 24.9, true),
        new(273, "Leggings/Tights", "Garment Lower body", Family.Garment, 1002, "Jersey Basic", -1, 14.9, true),
        new(265, "Dress", "Garment Full body", Family.Garment, 1013, "Dresses Ladies", 1, 39.9, false),
        new(291, "Jumpsuit/Playsuit", "Garment Full body", Family.Garment, 1013, "Dresses Ladies", 1, 39.9, false),
        new(306, "Bra", "Underwear", Family.Underwear, 1017, "Under-, Nightwear", 0, 19.9, true),
        new(286, "Underwear bottom", "Underwear", Family.Underwear, 1017, "Under-, Nightwear", 0, 7.9, true),
        new(302, "Socks", "Socks & Tights", Family.Underwear, 1021, "Socks and Tights", -1, 5.9, false),
        new(304, "Underwear Tights", "Socks & Tights", Family.Underwear, 1021, "Socks and Tights", -1, 9.9, false),
        new(298, "Pyjama set", "Nightwear", Family.Underwear, 1017, "Under-, Nightwear", -1, 29.9, false),
        new(58, "Bikini top", "Swimwear", Family.Swimwear, 1018, "Swimwear", 1, 19.9, true),
        new(59, "Swimwear bottom", "Swimwear", Family.Swimwear, 1018, "Swimwear", 1, 14.9, true),
        new(57, "Swimsuit", "Swimwear", Family.Swimwear, 1018, "Swimwear", 1, 29.9, false),
        new(93, "Sneakers", "Shoes", Family.Shoes, 1020, "Shoes", 0, 39.9, false),
        new(89, "Boots", "Shoes", Family.Shoes, 1020, "Shoes", -1, 59.9, false),
        new(88, "Sandals", "Shoes", Family.Shoes, 1020, "Shoes", 1, 24.9, false),
        new(66, "Bag", "Accessories", Family.Accessories, 1019, "Accessories", 0, 24.9, false),
        new(87, "Hat/beanie", "Accessories", Family.Accessories, 1019, "Accessories", -1, 9.9, false),
        new(72, "Earring", "Accessories", Family.Accessories, 1019, "Accessories", 0, 7.9, false),
        new(67, "Sunglasses", "Accessories", Family.Accessories, 1019, "Accessories", 1, 9.9, false),
        new(83, "Scarf", "Accessories", Family.Accessories, 1019, "Accessories", -1, 14.9, false),
    ];

    internal static readonly IndexGroup[] IndexGroups =
    [
        new(1, "Ladieswear"),
        new(2, "Divided"),
        new(3, "Menswear"),
        new(4, "Baby/Children"),
        new(26, "Sport"),
    ];

    internal static readonly Index[] Indices =
    [
        new("A", "Ladieswear", 1),
        new("B", "Lingeries/Tights", 1),
        new("C", "Ladies Accessories", 1),
        new("D", "Divided", 2),
        new("F", "Menswear", 3),
        new("G", "Baby Sizes 50-98", 4),
        new("H", "Children Sizes 92-140", 4),
        new("I", "Children Sizes 134-170", 4),
        new("J", "Children Accessories, Swimwear", 4),
        new("S", "Sport", 26),
    ];

    private static readonly Family[] Garments = [Family.Garment];

    internal static readonly Section[] Sections =
    [
        new(16, "Womens Everyday Basics", "A", Garments),
        new(15, "Womens Everyday Collection", "A", Garments),
        new(18, "Womens Trend", "A", Garments),
        new(11, "Womens Tailoring", "A", Garments),
        new(6, "Womens Casual", "A", Garments),
        new(61, "Womens Lingerie", "B", [Family.Underwear]),
        new(62, "Womens Nightwear, Socks & Tigh", "B", [Family.Underwear]),
        new(60, "Womens Swimwear, beachwear", "B", [Family.Swimwear]),
        new(66, "Womens Small accessories", "C", [Family.Accessories]),
        new(64, "Womens Shoes", "C", [Family.Shoes]),
        new(53, "Divided Collection", "D", Garments),
        new(51, "Divided Basics", "D", Garments),
        new(52, "Divided Projects", "D", Garments),
        new(50, "Divided Accessories", "D", [Family.Accessories, Family.Shoes]),
        new(26, "Men Underwear", "F", [Family.Underwear]),
        new(20, "Contemporary Smart", "F", Garments),
        new(21, "Contemporary Casual", "F", Garments),
        new(23, "Mens Outerwear", "F", Garments),
        new(25, "Men Accessories", "F", [Family.Accessories, Family.Shoes]),
        new(44, "Baby Essentials & Complements", "G", Garments),
        new(41, "Baby Girl", "G", Garments),
        new(40, "Baby Boy", "G", Garments),
        new(46, "Kids Girl", "H", Garments),
        new(45, "Kids Boy", "H", Garments),
        new(43, "Young Girl", "I", Garments),
        new(42, "Young Boy", "I", Garments),
        new(77, "Kids Accessories, Swimwear & D", "J", [Family.Accessories, Family.Swimwear]),
        new(5, "Ladies H&M Sport", "S", [Family.Garment, Family.Swimwear]),
        new(8, "Men H&M Sport", "S", Garments),
    ];

    internal static readonly Colour[] Colours =
    [
        new(9, "Black", 4, "Dark", 5, "Black", 22),
        new(10, "White", 3, "Light", 9, "White", 9),
        new(11, "Off White", 1, "Dusty Light", 9, "White", 4),
        new(12, "Light Beige", 1, "Dusty Light", 11, "Beige", 4),
        new(13, "Beige", 2, "Medium Dusty", 11, "Beige", 3),
        new(7, "Grey", 2, "Medium Dusty", 12, "Grey", 3),
        new(6, "Light Grey", 3, "Light", 12, "Grey", 3),
        new(8, "Dark Grey", 4, "Dark", 12, "Grey", 3),
        new(73, "Dark Blue", 4, "Dark", 2, "Blue", 12),
        new(72, "Blue", 7, "Medium", 2, "Blue", 5),
        new(71, "Light Blue", 3, "Light", 2, "Blue", 5),
        new(43, "Dark Red", 4, "Dark", 18, "Red", 2),
        new(42, "Red", 5, "Bright", 18, "Red", 3),
        new(52, "Pink", 2, "Medium Dusty", 4, "Pink", 4),
        new(51, "Light Pink", 3, "Light", 4, "Pink", 4),
        new(23, "Dark Yellow", 2, "Medium Dusty", 8, "Yellow", 2),
        new(21, "Light Yellow", 3, "Light", 8, "Yellow", 1),
        new(53, "Dark Green", 4, "Dark", 19, "Green", 2),
        new(62, "Light Turquoise", 3, "Light", 20, "Turquoise", 1),
        new(93, "Dark Orange", 4, "Dark", 17, "Orange", 1),
        new(17, "Yellowish Brown", 2, "Medium Dusty", 15, "Khaki green", 2),
        new(90, "Other", 7, "Medium", 25, "Metal", 1),
    ];

    internal static readonly Appearance[] Appearances =
    [
        new(1010016, "Solid", 49),
        new(1010017, "Stripe", 7),
        new(1010001, "All over pattern", 14),
        new(1010010, "Melange", 5),
        new(1010004, "Denim", 3),
        new(1010008, "Check", 2),
        new(1010023, "Front print", 5),
        new(1010014, "Lace", 1),
        new(1010005, "Embroidery", 1),
        new(1010002, "Other structure", 1),
    ];

    internal static readonly string[] NameStems =
    [
        "Luna", "Tilly", "Mika", "Bella", "Nova", "Skinny", "Relaxed", "Slim", "Wide", "Soft", "Basic", "Cosy",
        "Flora", "Ivy", "Mona", "Saga", "Timmy", "Zoe", "Oskar", "Linn", "Vera", "Ella", "Ruby", "Jade",
    ];

    internal static readonly string[] Materials =
    [
        "cotton jersey", "soft viscose", "ribbed cotton", "sturdy denim", "woven fabric", "fine-knit wool blend",
        "organic cotton", "recycled polyester", "linen blend", "soft sweatshirt fabric", "satin", "lace",
    ];

    internal static readonly string[] Features =
    [
        "a round neckline", "long sleeves", "short sleeves", "a V-neck", "narrow shoulder straps", "side pockets",
        "an elasticated waist", "a concealed zip", "buttons down the front", "a rounded hem", "a drawstring",
        "ribbing at the cuffs", "a regular fit", "a loose fit", "a high waist", "a lined hood", "adjustable straps",
    ];

    internal static readonly string[] Adjectives =
    [
        "Fitted", "Relaxed-fit", "Short", "Long", "Oversized", "Cropped", "Straight-cut", "Soft", "Lightweight", "Padded",
    ];

    /// <summary>Index-group preference by age bucket (&lt;26, 26–40, 41–60, 61+), in <see cref="IndexGroups"/> order.</summary>
    internal static readonly double[][] IndexGroupPreferenceByAge =
    [
        [0.35, 0.38, 0.12, 0.05, 0.10],
        [0.45, 0.13, 0.12, 0.22, 0.08],
        [0.55, 0.05, 0.20, 0.13, 0.07],
        [0.60, 0.02, 0.25, 0.10, 0.03],
    ];

    internal static int AgeBucket(int age) => age switch
    {
        < 26 => 0,
        <= 40 => 1,
        <= 60 => 2,
        _ => 3,
    };
}
