namespace HmRec.Shared.Data;

/// <summary>The three H&amp;M input files: names and columns, in the order the real files have them.</summary>
public static class HmSchema
{
    public const string ArticlesFile = "articles.csv";
    public const string CustomersFile = "customers.csv";
    public const string TransactionsFile = "transactions_train.csv";

    public static readonly IReadOnlyList<string> ArticleColumns =
    [
        "article_id", "product_code", "prod_name", "product_type_no", "product_type_name", "product_group_name",
        "graphical_appearance_no", "graphical_appearance_name", "colour_group_code", "colour_group_name",
        "perceived_colour_value_id", "perceived_colour_value_name", "perceived_colour_master_id",
        "perceived_colour_master_name", "department_no", "department_name", "index_code", "index_name",
        "index_group_no", "index_group_name", "section_no", "section_name", "garment_group_no",
        "garment_group_name", "detail_desc",
    ];

    public static readonly IReadOnlyList<string> CustomerColumns =
    [
        "customer_id", "FN", "Active", "club_member_status", "fashion_news_frequency", "age", "postal_code",
    ];

    public static readonly IReadOnlyList<string> TransactionColumns =
    [
        "t_dat", "customer_id", "article_id", "price", "sales_channel_id",
    ];

    /// <summary>The header line of a file with these columns.</summary>
    public static string Header(IReadOnlyList<string> columns) => string.Join(',', columns);
}
