namespace HmRec.Activities.Recall;

/// <summary>
/// The user-KNN strategy's neighbours of one shard's target users, computed in memory and left in the session as
/// the table <c>knn_neighbours (u, v, sim)</c>. A user's seeds are their <c>SeedItems</c> latest items of the
/// window; a neighbour v is anyone among those items' recent buyers; sim = shared seeds / sqrt(seeds of u x items
/// of v), and each user keeps the best <c>Neighbours</c> by (sim descending, v ascending). The same definition as a
/// SQL overlap join, whose grouping and per-user sort of every (u, v) pair took most of the strategy's time; here it
/// is one counting pass per user over a dense array.
/// </summary>
public static class UserNeighbours
{
    public const string Table = "knn_neighbours";

    public static void Write(AnalyticsSession session, UserKnnOptions options, string userItems, string itemBuyers)
    {
        var (seedUsers, seedItems) = Pairs(session, $"""
            SELECT customer_idx::INTEGER AS a, article_idx::INTEGER AS b FROM {userItems} SEMI JOIN targets USING (customer_idx)
            QUALIFY row_number() OVER (PARTITION BY customer_idx ORDER BY last_day DESC, article_idx) <= {options.SeedItems}
            ORDER BY customer_idx, article_idx
            """);
        var (buyerItems, buyers) = Pairs(session, $"SELECT article_idx::INTEGER AS a, customer_idx::INTEGER AS b FROM {itemBuyers} ORDER BY article_idx, customer_idx");
        var (counted, counts) = Pairs(session, $"SELECT customer_idx::INTEGER AS a, count(*)::INTEGER AS b FROM {userItems} GROUP BY ALL");

        var customers = Math.Max(Max(counted), Max(seedUsers)) + 1;
        var itemsOf = new int[customers];
        for (var i = 0; i < counted.Length; i++)
        {
            itemsOf[counted[i]] = counts[i];
        }
        // Buyers of each article as offsets into the sorted buyer list.
        var articles = Math.Max(Max(buyerItems), Max(seedItems)) + 1;
        var start = new int[articles + 1];
        foreach (var a in buyerItems)
        {
            start[a + 1]++;
        }
        for (var a = 0; a < articles; a++)
        {
            start[a + 1] += start[a];
        }

        session.Execute($"CREATE TABLE {Table} (u INTEGER, v INTEGER, sim DOUBLE)");
        using var appender = session.Connection.CreateAppender(Table);
        var shared = new int[customers];
        var touched = new List<int>();
        var ranked = new List<(double Sim, int V)>();
        for (var first = 0; first < seedUsers.Length;)
        {
            var u = seedUsers[first];
            var end = first;
            while (end < seedUsers.Length && seedUsers[end] == u)
            {
                end++;
            }
            for (var s = first; s < end; s++)
            {
                for (var j = start[seedItems[s]]; j < start[seedItems[s] + 1]; j++)
                {
                    var v = buyers[j];
                    if (v != u && shared[v]++ == 0)
                    {
                        touched.Add(v);
                    }
                }
            }
            long seeds = end - first;
            ranked.Clear();
            foreach (var v in touched)
            {
                ranked.Add(((double)shared[v] / Math.Sqrt(seeds * itemsOf[v]), v));
                shared[v] = 0;
            }
            touched.Clear();
            ranked.Sort(static (x, y) => x.Sim != y.Sim ? y.Sim.CompareTo(x.Sim) : x.V.CompareTo(y.V));
            for (var k = 0; k < Math.Min(options.Neighbours, ranked.Count); k++)
            {
                appender.CreateRow().AppendValue(u).AppendValue(ranked[k].V).AppendValue(ranked[k].Sim).EndRow();
            }
            first = end;
        }
        appender.Close();
    }

    private static int Max(int[] values) => values.Length == 0 ? 0 : values.Max();

    private static (int[] A, int[] B) Pairs(AnalyticsSession session, string query)
    {
        using var result = session.Connection.Query(query);
        var rows = result.ReadAll();
        return (rows.Get<int>("a").Values, rows.Get<int>("b").Values);
    }
}
