using HmRec.Training.Gpu.Training;

namespace HmRec.Training.Gpu.Tests.Training;

/// <summary>
/// Candidate groups with a planted signal: every user has 10 candidates of which one was bought; the
/// bought one matches the user's taste (user feature 0 times item feature 0 is positive; one in five
/// others does too) and has a higher pair feature 0, both with noise. The other columns are noise.
/// </summary>
internal static class PlantedData
{
    public const int Candidates = 10;

    public static ExampleSet Create(int users, int seed, int userColumns = 4, int itemColumns = 5, int pairColumns = 3, int imageColumns = 0)
    {
        var random = new Random(seed);
        var rows = users * Candidates;
        float Noise() => (float)(random.NextDouble() * 2 - 1);
        var set = new ExampleSet
        {
            Rows = rows,
            UserColumns = userColumns,
            ItemColumns = itemColumns,
            PairColumns = pairColumns,
            ImageColumns = imageColumns,
            User = new float[rows * userColumns],
            Item = new float[rows * itemColumns],
            Pair = new float[rows * pairColumns],
            Image = new float[rows * imageColumns],
            Labels = new float[rows],
            Users = new int[rows],
            Items = new int[rows],
            Groups = [.. Enumerable.Repeat((uint)Candidates, users)],
        };
        for (var u = 0; u < users; u++)
        {
            var taste = random.Next(2) == 0 ? -1f : 1f;
            var bought = random.Next(Candidates);
            for (var c = 0; c < Candidates; c++)
            {
                var r = u * Candidates + c;
                set.Users[r] = u;
                set.Items[r] = c;
                set.Labels[r] = c == bought ? 1 : 0;
                for (var j = 0; j < userColumns; j++)
                {
                    set.User[r * userColumns + j] = j == 0 ? taste : Noise();
                }
                var style = c == bought ? taste : (random.Next(5) == 0 ? taste : -taste);
                for (var j = 0; j < itemColumns; j++)
                {
                    set.Item[r * itemColumns + j] = j == 0 ? style + 0.3f * Noise() : Noise();
                }
                for (var j = 0; j < pairColumns; j++)
                {
                    set.Pair[r * pairColumns + j] = j == 0 ? (c == bought ? 0.5f : 0f) + Noise() : Noise();
                }
                for (var j = 0; j < imageColumns; j++)
                {
                    set.Image[r * imageColumns + j] = Noise();
                }
            }
        }
        return set;
    }
}
