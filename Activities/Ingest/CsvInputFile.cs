namespace HmRec.Activities.Ingest;

/// <summary>One of the three input files: its name and the DuckDB type of each expected column.</summary>
internal sealed record CsvInputFile(string Name, IReadOnlyList<(string Column, string Type)> Columns)
{
    public static readonly CsvInputFile Transactions = new(HmSchema.TransactionsFile,
    [
        ("t_dat", "DATE"), ("customer_id", "VARCHAR"), ("article_id", "BIGINT"), ("price", "DOUBLE"), ("sales_channel_id", "TINYINT"),
    ]);

    public static readonly CsvInputFile Customers = new(HmSchema.CustomersFile,
    [
        ("customer_id", "VARCHAR"), ("FN", "DOUBLE"), ("Active", "DOUBLE"), ("club_member_status", "VARCHAR"),
        ("fashion_news_frequency", "VARCHAR"), ("age", "DOUBLE"), ("postal_code", "VARCHAR"),
    ]);

    public static readonly CsvInputFile Articles = new(HmSchema.ArticlesFile,
        HmSchema.ArticleColumns.Select(c => (c, c switch
        {
            "article_id" => "BIGINT",
            "product_code" or "product_type_no" or "graphical_appearance_no" or "colour_group_code" or "perceived_colour_value_id"
                or "perceived_colour_master_id" or "department_no" or "index_group_no" or "section_no" or "garment_group_no" => "INTEGER",
            _ => "VARCHAR",
        })).ToArray());

    /// <summary>The expected header line.</summary>
    public string ExpectedHeader => string.Join(',', Columns.Select(c => c.Column));

    public string TypeOf(string column) => Columns.First(c => c.Column == column).Type;
}
