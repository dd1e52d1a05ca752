using HmRec.Activities.Champion;
using System.Net;
using HmRec.Activities.Evaluation;

namespace HmRec.Activities.Report;

/// <summary>
/// A run's report, <c>eval/report.html</c>: one self-contained page (Chart.js inlined, no network needed) with the
/// metrics of every model, ensemble and baseline, recall per strategy and week and its recall@N curves, each
/// ranker's validation MAP@12 per round and the network's per epoch, the best model's feature importance, the
/// run's timeline, the data summary, the options and the submission. Everything comes from the run folder
/// except the timeline, which the orchestration passes in.
/// </summary>
public static class RunReport
{
    public const string FileName = "report.html";

    /// <summary>The rule every model is measured against, marked in the metrics chart.</summary>
    private const string Rule = BaselinesActivity.RecentThenTop12;

    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    private static readonly JsonSerializerOptions Compact = new();

    /// <summary>Writes <c>eval/report.html</c> under <paramref name="runDirectory"/>, atomically, and returns its path.</summary>
    public static string Write(string runDirectory, IReadOnlyList<StageTimeline> timeline, IReadOnlyList<ModelSummary> models, SubmissionSummary? submission,
        ChampionStore? champion = null)
    {
        var html = Render(runDirectory, timeline, models, submission, champion);
        var path = Path.Combine(new RunLayout(runDirectory).EvalDirectory, FileName);
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    /// <summary>The page for the run in <paramref name="runDirectory"/>, with the history of <paramref name="champion"/> (by default the store beside the run).</summary>
    public static string Render(string runDirectory, IReadOnlyList<StageTimeline> timeline, IReadOnlyList<ModelSummary> models, SubmissionSummary? submission,
        ChampionStore? champion = null)
    {
        var layout = new RunLayout(runDirectory);
        var runId = Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory));
        var evaluation = ReadJson<EvaluationReport>(layout.Metrics);
        var recall = ReadJson<RecallReport>(layout.RecallReport);
        var ingest = Ingestor.ReadManifest(layout.IngestDirectory);

        var charts = new List<object>();
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<h1>HmRec run {E(runId)}</h1>\n");
        if (evaluation is not null)
        {
            Headline(body, evaluation);
            MetricsTable(body, evaluation);
            Section(body, charts, "models", "Models on the validation week", "MAP@12, precision, recall and NDCG at 12 of every model, ensemble and baseline, best first; the simple rule (each buyer's past items over the whole history, most recent first, then last week's best sellers) has a black outline.", MetricsChart(evaluation));
        }
        if (recall is { Weeks.Count: > 0 })
        {
            Section(body, charts, "recall", "Recall per strategy and label week", "Share of each label week's purchases among a strategy's candidates (merged: all strategies together).", RecallChart(recall));
            if (RecallCurves(recall) is { } curves)
            {
                Section(body, charts, "recall-at", "Recall@N, validation week", "Recall of each strategy's first N candidates per user.", curves);
            }
        }
        if (RoundsChart(runDirectory, models) is { } rounds)
        {
            Section(body, charts, "rounds", "Validation MAP@12 per round", "Each ranker's MAP@12 over the validation week's buyers with candidates after every boosting round; stars mark the best round, the one kept.", rounds);
        }
        if (EpochsChart(runDirectory, models) is { } epochs)
        {
            Section(body, charts, "epochs", "Two-tower network per epoch", "Validation MAP@12 and training loss after every epoch; the star marks the best epoch.", epochs);
        }
        if (ImportanceChart(runDirectory, evaluation, models) is { } importance)
        {
            // Horizontal bars, a row per feature, so every label is shown in full whatever the count.
            Section(body, charts, "importance", $"Feature importance: {importance.Model}", "Share of the total gain of the best model's 30 most important features.", importance.Chart,
                height: 60 + (22 * importance.Features));
        }
        if (timeline.Count > 0)
        {
            Section(body, charts, "timeline", "Timeline", "Each stage's activities as bars over the run's wall clock (seconds from the start); hover a bar for the activity and its seconds.", TimelineChart(timeline), height: 60 + (28 * timeline.Count));
            StageTable(body, timeline);
        }
        if (ingest is not null)
        {
            DataSummary(body, ingest);
        }
        Submission(body, runDirectory, submission);
        ChampionSection(body, charts, runDirectory, champion ?? ChampionStore.ForRun(runDirectory));
        Options(body, runDirectory);

        var data = JsonSerializer.Serialize(new { charts }, Compact);
        return Page(runId, body.ToString(), data);
    }

    private static void Section(StringBuilder body, List<object> charts, string id, string title, string note, object config, int height = 360)
    {
        body.Append(CultureInfo.InvariantCulture, $"""
            <section id="{id}">
            <h2>{E(title)}</h2>
            <p class="note">{E(note)}</p>
            <div class="chart" style="height:{height}px"><canvas id="chart-{id}" role="img" aria-label="{E(title)}"></canvas></div>
            </section>

            """);
        charts.Add(new { id = $"chart-{id}", config });
    }

    /// <summary>What the run says first: the best model, its ratio to the rule, and the candidates' ceiling.</summary>
    private static void Headline(StringBuilder body, EvaluationReport evaluation)
    {
        var best = evaluation.Models.OrderByDescending(m => m.AllBuyers.Map12).FirstOrDefault();
        var rule = evaluation.Models.FirstOrDefault(m => m.Model == Rule);
        body.Append("<section id=\"headline\">\n");
        if (best is not null)
        {
            var ratio = rule is { AllBuyers.Map12: > 0 } ? $", <strong>{best.AllBuyers.Map12 / rule.AllBuyers.Map12:F2}x</strong> the simple rule's {rule.AllBuyers.Map12:F4}" : "";
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"headline\">Best model: <strong>{E(best.Model)}</strong>, MAP@12 <strong>{best.AllBuyers.Map12:F4}</strong>{ratio} on the validation week.</p>\n");
        }
        body.Append(CultureInfo.InvariantCulture, $"<p>Validation week: {evaluation.Buyers:N0} buyers, {evaluation.BuyersWithCandidates:N0} with candidates; the candidates hold {evaluation.CandidateRecall:P2} of their purchases, the ceiling of any ranker's recall.</p>\n");
        body.Append("</section>\n");
    }

    /// <summary>Every model's metrics as numbers: the rule marked, each model's ratio to it, the best of each column in bold; click a heading to sort.</summary>
    private static void MetricsTable(StringBuilder body, EvaluationReport evaluation)
    {
        var rule = evaluation.Models.FirstOrDefault(m => m.Model == Rule)?.AllBuyers.Map12;
        (string Name, Func<ModelEvaluation, double> Value, string Format)[] columns =
        [
            ("MAP@12", m => m.AllBuyers.Map12, "F4"),
            ("x rule", m => rule is > 0 ? m.AllBuyers.Map12 / rule.Value : double.NaN, "F2"),
            ("P@12", m => At(m.AllBuyers.Precision), "F4"),
            ("R@12", m => At(m.AllBuyers.Recall), "F4"),
            ("NDCG@12", m => At(m.AllBuyers.Ndcg), "F4"),
            ("MAP@12, buyers with candidates", m => m.CandidateUsers.Map12, "F4"),
        ];
        var best = columns.Select(c => evaluation.Models.Select(c.Value).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max()).ToArray();
        body.Append("<section id=\"metrics\"><h2>Metrics on the validation week</h2>\n");
        body.Append("<p class=\"note\">Every buyer of the validation week counts (lists short of 12 are filled from the popularity baseline). Click a heading to sort.</p>\n");
        body.Append("<table id=\"metrics-table\" class=\"sortable\"><thead><tr><th>model</th><th>kind</th>");
        foreach (var c in columns)
        {
            body.Append(CultureInfo.InvariantCulture, $"<th>{E(c.Name)}</th>");
        }
        body.Append("</tr></thead><tbody>\n");
        foreach (var m in evaluation.Models.OrderByDescending(m => m.AllBuyers.Map12))
        {
            var isRule = m.Model == Rule;
            body.Append(CultureInfo.InvariantCulture, $"<tr{(isRule ? " class=\"rule\"" : "")} data-model=\"{E(m.Model)}\"><td>{E(m.Model)}{(isRule ? " (the rule)" : "")}</td><td>{E(m.Kind)}</td>");
            for (var i = 0; i < columns.Length; i++)
            {
                var value = columns[i].Value(m);
                var text = double.IsFinite(value) ? value.ToString(columns[i].Format, CultureInfo.InvariantCulture) : "";
                body.Append(CultureInfo.InvariantCulture, $"<td data-value=\"{(double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "")}\">{(double.IsFinite(value) && value == best[i] ? $"<strong>{text}</strong>" : text)}</td>");
            }
            body.Append("</tr>\n");
        }
        body.Append("</tbody></table></section>\n");
    }

    private static object MetricsChart(EvaluationReport evaluation)
    {
        var rows = evaluation.Models;
        (string Name, Func<MetricSet, double> Value)[] metrics =
        [
            ("MAP@12", m => m.Map12),
            ("P@12", m => At(m.Precision)),
            ("R@12", m => At(m.Recall)),
            ("NDCG@12", m => At(m.Ndcg)),
        ];
        return new
        {
            type = "bar",
            data = new
            {
                labels = rows.Select(m => m.Model == Rule ? $"{m.Model} (the rule)" : m.Model).ToArray(),
                datasets = metrics.Select((metric, i) => new
                {
                    label = metric.Name,
                    data = rows.Select(m => Round(metric.Value(m.AllBuyers))).ToArray(),
                    backgroundColor = Palette[i],
                    borderColor = "#000000",
                    borderWidth = rows.Select(m => m.Model == Rule ? 2 : 0).ToArray(),
                }).ToArray(),
            },
            options = new { scales = new { x = new { ticks = new { autoSkip = false } }, y = new { beginAtZero = true } } },
        };
    }

    private static object RecallChart(RecallReport recall)
    {
        var strategies = recall.Weeks.SelectMany(w => w.Rows.Select(r => r.Strategy)).Distinct().ToArray();
        return new
        {
            type = "bar",
            data = new
            {
                labels = strategies,
                datasets = recall.Weeks.OrderBy(w => w.Week).Select((week, i) => new
                {
                    label = week.Week == 0 ? "week 0 (validation)" : $"week {week.Week}",
                    data = strategies.Select(s => week.Rows.FirstOrDefault(r => r.Strategy == s) is { } row ? Round(row.Recall) : (double?)null).ToArray(),
                    backgroundColor = Palette[i % Palette.Length],
                }).ToArray(),
            },
            options = new { scales = new { y = new { beginAtZero = true, title = new { display = true, text = "recall" } } } },
        };
    }

    private static object? RecallCurves(RecallReport recall)
    {
        var week = recall.Weeks.FirstOrDefault(w => w.Week == 0) ?? recall.Weeks[0];
        var rows = week.Rows.Where(r => r.RecallAt is { Count: > 0 }).ToList();
        if (rows.Count == 0)
        {
            return null;
        }
        return new
        {
            type = "line",
            data = new
            {
                datasets = rows.Select((row, i) => new
                {
                    label = row.Strategy,
                    data = row.RecallAt!.Select(p => new { x = int.Parse(p.Key, CultureInfo.InvariantCulture), y = Round(p.Value) }).OrderBy(p => p.x).ToArray(),
                    borderColor = Palette[i % Palette.Length],
                    backgroundColor = Palette[i % Palette.Length],
                    borderWidth = row.Strategy == "merged" ? 3 : 1.5,
                }).ToArray(),
            },
            options = new
            {
                scales = new
                {
                    x = new { type = "linear", title = new { display = true, text = "N (candidates per user)" } },
                    y = new { beginAtZero = true, title = new { display = true, text = "recall" } },
                },
            },
        };
    }

    private static object? RoundsChart(string runDirectory, IReadOnlyList<ModelSummary> models)
    {
        var rankers = models.Where(m => m.Device is null && m.NotTrained is null).ToList();
        var series = rankers.Select(m => (Model: m, Log: ReadLog(runDirectory, m.Model, "round", "validation_map12"))).Where(s => s.Log.Count > 0).ToList();
        return series.Count == 0 ? null : CurveChart(series.Select(s => (s.Model.Model, s.Log, s.Model.BestRound)).ToList(), "round", "validation MAP@12");
    }

    private static object? EpochsChart(string runDirectory, IReadOnlyList<ModelSummary> models)
    {
        if (models.FirstOrDefault(m => m.Device is not null && m.NotTrained is null) is not { } network)
        {
            return null;
        }
        var map = ReadLog(runDirectory, network.Model, "epoch", "validation_map12");
        var loss = ReadLog(runDirectory, network.Model, "epoch", "train_loss");
        if (map.Count == 0)
        {
            return null;
        }
        var best = map.FirstOrDefault(p => p.X == network.BestRound);
        return new
        {
            type = "line",
            data = new
            {
                datasets = new object[]
                {
                    new { label = "validation MAP@12", data = map.Select(p => new { x = p.X, y = Round(p.Y) }).ToArray(), borderColor = Palette[0], backgroundColor = Palette[0], yAxisID = "y" },
                    new { label = "training loss", data = loss.Select(p => new { x = p.X, y = Round(p.Y) }).ToArray(), borderColor = Palette[1], backgroundColor = Palette[1], yAxisID = "loss" },
                    new { type = "scatter", label = "best epoch", data = new[] { new { x = best.X, y = Round(best.Y) } }, pointStyle = "star", pointRadius = 9, borderColor = "#000000", backgroundColor = "#000000", yAxisID = "y" },
                },
            },
            options = new
            {
                scales = new
                {
                    x = new { type = "linear", title = new { display = true, text = "epoch" } },
                    y = new { title = new { display = true, text = "validation MAP@12" } },
                    loss = new { position = "right", grid = new { drawOnChartArea = false }, title = new { display = true, text = "training loss" } },
                },
            },
        };
    }

    private static object CurveChart(IReadOnlyList<(string Model, List<(int X, double Y)> Log, int Best)> series, string xTitle, string yTitle)
    {
        var datasets = series.Select((s, i) => (object)new
        {
            label = s.Model,
            data = s.Log.Select(p => new { x = p.X, y = Round(p.Y) }).ToArray(),
            borderColor = Palette[i % Palette.Length],
            backgroundColor = Palette[i % Palette.Length],
            pointRadius = 0,
            borderWidth = 1.5,
        }).ToList();
        datasets.Add(new
        {
            type = "scatter",
            label = "best round",
            data = series.Select(s => s.Log.FirstOrDefault(p => p.X == s.Best)).Where(p => p.X > 0).Select(p => new { x = p.X, y = Round(p.Y) }).ToArray(),
            pointStyle = "star",
            pointRadius = 9,
            borderColor = "#000000",
            backgroundColor = "#000000",
        });
        return new
        {
            type = "line",
            data = new { datasets },
            options = new
            {
                scales = new
                {
                    x = new { type = "linear", title = new { display = true, text = xTitle } },
                    y = new { title = new { display = true, text = yTitle } },
                },
            },
        };
    }

    private static (string Model, int Features, object Chart)? ImportanceChart(string runDirectory, EvaluationReport? evaluation, IReadOnlyList<ModelSummary> models)
    {
        // The best model by MAP@12 that has feature importances (an ensemble or a baseline has none: the best ranker then).
        var order = evaluation?.Models.Select(m => m.Model).ToList() ?? [];
        var ranked = models.Where(m => File.Exists(new RunLayout(runDirectory).Model(m.Model).FeatureImportance))
            .OrderBy(m => order.IndexOf(m.Model) is var i && i < 0 ? int.MaxValue : i).ToList();
        if (ranked.Count == 0)
        {
            return null;
        }
        var model = ranked[0].Model;
        var rows = File.ReadLines(new RunLayout(runDirectory).Model(model).FeatureImportance).Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 3)
            .Select(f => (Feature: f[0], Share: double.Parse(f[2], CultureInfo.InvariantCulture)))
            .OrderByDescending(f => f.Share).Take(30).ToList();
        return (model, rows.Count, new
        {
            type = "bar",
            data = new
            {
                labels = rows.Select(r => r.Feature).ToArray(),
                datasets = new[] { new { label = "share of total gain", data = rows.Select(r => Round(r.Share)).ToArray(), backgroundColor = Palette[0] } },
            },
            options = new { indexAxis = "y", scales = new { y = new { ticks = new { autoSkip = false } } } },
        });
    }

    private static object TimelineChart(IReadOnlyList<StageTimeline> timeline)
    {
        var origin = timeline.Min(s => s.Started);
        double Offset(DateTime t) => Math.Round((t - origin).TotalSeconds, 2);
        return new
        {
            type = "bar",
            data = new
            {
                labels = timeline.Select(s => s.Stage).ToArray(),
                datasets = timeline.Select((stage, i) => new
                {
                    label = stage.Stage,
                    data = Bars(stage, Offset),
                    backgroundColor = Palette[i % Palette.Length] + "b0",
                    borderColor = Palette[i % Palette.Length],
                    borderWidth = 1,
                    grouped = false,
                    gantt = true,
                }).ToArray(),
            },
            options = new
            {
                indexAxis = "y",
                plugins = new { legend = new { display = false } },
                scales = new { x = new { type = "linear", beginAtZero = true, title = new { display = true, text = "seconds from the start of the run" } } },
            },
        };
    }

    /// <summary>A stage's activities as [start, end] bars; a stage with no activity of its own (ingest, the training as a whole) is one bar of its wall time.</summary>
    private static object[] Bars(StageTimeline stage, Func<DateTime, double> at) => stage.Activities.Count > 0
        ? stage.Activities.Select(a => (object)new { y = stage.Stage, x = new[] { at(a.Started), at(a.Started) + Math.Round(a.Seconds, 2) }, name = $"{a.Label}: {a.Seconds:F1} s{(a.Skipped ? " (already done)" : "")}" }).ToArray()
        : [new { y = stage.Stage, x = new[] { at(stage.Started), at(stage.Started) + Math.Round(stage.WallSeconds, 2) }, name = $"{stage.Stage}: {stage.WallSeconds:F1} s" }];

    private static void StageTable(StringBuilder body, IReadOnlyList<StageTimeline> timeline)
    {
        body.Append("<table><thead><tr><th>stage</th><th>activities</th><th>already done</th><th>activity seconds</th><th>wall seconds</th></tr></thead><tbody>\n");
        foreach (var s in timeline)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(s.Stage)}</td><td>{Math.Max(1, s.Activities.Count)}</td><td>{s.Activities.Count(a => a.Skipped)}</td><td>{s.Activities.Sum(a => a.Seconds):F1}</td><td>{s.WallSeconds:F1}</td></tr>\n");
        }
        body.Append("</tbody></table>\n");
    }

    private static void DataSummary(StringBuilder body, IngestSummary ingest)
    {
        body.Append(CultureInfo.InvariantCulture, $"""
            <section id="data"><h2>Data</h2>
            <p>{ingest.TransactionRows:N0} transaction rows read, {ingest.RowsKept:N0} kept row by row and the older history as {ingest.HistoryPairs:N0} (customer, article) pairs, from {ingest.FirstDay:yyyy-MM-dd} to {ingest.LastDay:yyyy-MM-dd};
            {ingest.CustomersInFile:N0} customers and {ingest.ArticlesInFile:N0} articles in the files ({ingest.EligibleArticles:N0} articles recommendable);
            {ingest.UnknownCustomers:N0} unknown customers, {ingest.ArticlesWithoutMetadata:N0} articles without metadata.</p>
            <table><thead><tr><th>split</th><th>weeks</th><th>days</th><th>rows</th><th>users</th><th>articles</th></tr></thead><tbody>

            """);
        foreach (var s in ingest.Splits)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(s.Name)}</td><td>{s.FirstWeek}-{s.LastWeek}</td><td>{s.FirstDay:yyyy-MM-dd} to {s.LastDay:yyyy-MM-dd}</td><td>{s.Rows:N0}</td><td>{s.Users:N0}</td><td>{s.Articles:N0}</td></tr>\n");
        }
        body.Append("</tbody></table>\n");
        if (ingest.Bins is { Count: > 0 } bins)
        {
            body.Append("<table><thead><tr><th>users by purchases</th><th>purchases</th><th>users</th><th>sampled</th></tr></thead><tbody>\n");
            foreach (var b in bins)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(b.Name)}</td><td>{E(b.Purchases)}</td><td>{b.Users:N0}</td><td>{b.Sampled:N0}</td></tr>\n");
            }
            body.Append("</tbody></table>\n");
        }
        body.Append("</section>\n");
    }

    private static void Submission(StringBuilder body, string runDirectory, SubmissionSummary? submission)
    {
        body.Append("<section id=\"submission\"><h2>Submission</h2>\n");
        if (submission is not null)
        {
            // The link works both from the run folder (eval/report.html next to ../submission.csv) and when a host serves
            // the report (/api/runs/{id}/report next to /api/runs/{id}/submission.csv, with the same key): the page's script sets it.
            body.Append(CultureInfo.InvariantCulture, $"<p><a id=\"submission-link\" href=\"../submission.csv\" download>submission.csv</a> (<code>{E(submission.Path)}</code>): {submission.Customers:N0} customers, {submission.RankedByModels:N0} ranked by {E(submission.Source)}, {submission.Fallback:N0} by {E(submission.FallbackModel)}.</p>\n");
        }
        else
        {
            var path = new RunLayout(runDirectory).Submission;
            body.Append(File.Exists(path) ? $"<p><code>{E(path)}</code></p>\n" : "<p>No submission was written.</p>\n");
        }
        body.Append("</section>\n");
    }

    /// <summary>
    /// The promotion decision (<c>eval/promotion.json</c>) and, where the store's other runs are on this machine, the history
    /// of every run's decision as a table and a chart of MAP@12, the rule's and the ratio by the data's last day.
    /// </summary>
    private static void ChampionSection(StringBuilder body, List<object> charts, string runDirectory, ChampionStore champion)
    {
        var path = Path.Combine(runDirectory, "eval", PromotionActivity.FileName);
        if (!File.Exists(path))
        {
            return;
        }
        var decision = JsonSerializer.Deserialize<PromotionDecision>(File.ReadAllText(path))!;
        body.Append(CultureInfo.InvariantCulture, $"""
            <section id="champion"><h2>Champion</h2>
            <p class="headline" id="promotion">{(decision.Promoted ? "<strong>Promoted</strong>" : "<strong>Not promoted</strong>")}: {E(decision.Reason)}</p>

            """);
        var history = champion.History();
        if (history.Count > 0)
        {
            body.Append("<table id=\"history\"><thead><tr><th>data to</th><th>run</th><th>best ranker</th><th>MAP@12</th><th>rule</th><th>x rule</th><th>champion on that week</th><th>promoted</th></tr></thead><tbody>\n");
            foreach (var d in history)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{d.DataLastDay:yyyy-MM-dd}</td><td>{E(d.RunId)}</td><td>{E(d.Model ?? "-")}</td><td>{d.Map12:F4}</td><td>{d.RuleMap12:F4}</td><td>{(d.RatioToRule is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) : "-")}</td><td>{(d.ChampionMap12 is { } c ? $"{c.ToString("F4", CultureInfo.InvariantCulture)} ({E(d.ChampionRun ?? "")})" : d.ChampionRun is null ? "none" : "not scored")}</td><td>{(d.Promoted ? "yes" : "no")}</td></tr>\n");
            }
            body.Append("</tbody></table>\n");
        }
        body.Append("</section>\n");
        if (history.Count > 1)
        {
            string Day(PromotionDecision d) => d.DataLastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            Section(body, charts, "history-chart", "MAP@12 over the weekly runs", "Each run's best ranker, the rule and the champion on that run's validation week (left), and the ratio to the rule (right), by the last day of the run's data.", new
            {
                type = "line",
                data = new
                {
                    labels = history.Select(Day).ToArray(),
                    datasets = new object[]
                    {
                        new { label = "best ranker", data = history.Select(d => Round(d.Map12)).ToArray(), borderColor = Palette[0], backgroundColor = Palette[0], yAxisID = "y" },
                        new { label = "rule", data = history.Select(d => Round(d.RuleMap12)).ToArray(), borderColor = "#000", backgroundColor = "#000", yAxisID = "y" },
                        new { label = "champion", data = history.Select(d => d.ChampionMap12 is { } c ? Round(c) : (double?)null).ToArray(), borderColor = Palette[2], backgroundColor = Palette[2], yAxisID = "y" },
                        new { label = "x rule", data = history.Select(d => d.RatioToRule is { } r ? Round(r) : (double?)null).ToArray(), borderColor = Palette[1], backgroundColor = Palette[1], borderDash = new[] { 4, 4 }, yAxisID = "ratio" },
                    },
                },
                options = new
                {
                    scales = new
                    {
                        y = new { beginAtZero = true, title = new { display = true, text = "MAP@12" } },
                        ratio = new { position = "right", beginAtZero = true, title = new { display = true, text = "x rule" }, grid = new { drawOnChartArea = false } },
                    },
                },
            }, 300);
        }
    }

    /// <summary>The options that differ from the defaults, as a table; the whole config.json folded away below it.</summary>
    private static void Options(StringBuilder body, string runDirectory)
    {
        var path = new RunLayout(runDirectory).Config;
        if (!File.Exists(path))
        {
            return;
        }
        var text = File.ReadAllText(path);
        var given = Flatten(System.Text.Json.Nodes.JsonNode.Parse(text)?["options"]);
        var defaults = Flatten(System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(new HmRec.Activities.Options.PipelineOptions())));
        var changed = given.Where(g => !defaults.TryGetValue(g.Key, out var d) || d != g.Value).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        body.Append("<section id=\"options\"><h2>Options</h2>\n");
        if (changed.Count == 0)
        {
            body.Append("<p>Every option has its default value.</p>\n");
        }
        else
        {
            body.Append("<table id=\"options-table\"><thead><tr><th>option</th><th>this run</th><th>default</th></tr></thead><tbody>\n");
            foreach (var (name, value) in changed)
            {
                body.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{E(value)}</td><td>{E(defaults.GetValueOrDefault(name) ?? "")}</td></tr>\n");
            }
            body.Append("</tbody></table>\n");
        }
        body.Append(CultureInfo.InvariantCulture, $"<details><summary>config.json</summary><pre>{E(text)}</pre></details></section>\n");
    }

    /// <summary>Every leaf of <paramref name="node"/> by its dotted path (Training.MaxRounds), as JSON text.</summary>
    private static Dictionary<string, string> Flatten(System.Text.Json.Nodes.JsonNode? node)
    {
        var leaves = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(System.Text.Json.Nodes.JsonNode? n, string prefix)
        {
            if (n is System.Text.Json.Nodes.JsonObject o)
            {
                foreach (var (key, child) in o)
                {
                    Walk(child, prefix.Length == 0 ? key : $"{prefix}.{key}");
                }
            }
            else
            {
                leaves[prefix] = n?.ToJsonString() ?? "null";
            }
        }
        Walk(node, "");
        return leaves;
    }

    private static string Page(string runId, string body, string data) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>HmRec run {{E(runId)}}</title>
        <link rel="icon" href="data:,">
        <style>
        body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; padding: 0 1rem; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
        .note { color: #555; font-size: 0.9rem; } .chart { position: relative; width: 100%; }
        table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
        th, td { border: 1px solid #ddd; padding: 0.25rem 0.6rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
        pre { background: #f6f6f6; padding: 0.8rem; overflow: auto; font-size: 0.8rem; }
        .headline { font-size: 1.15rem; } tr.rule td { background: #f3f3f3; font-style: italic; }
        table.sortable th { cursor: pointer; user-select: none; } table.sortable th[aria-sort]::after { content: attr(data-arrow); }
        </style>
        </head>
        <body>
        {{body}}
        <script id="report-data" type="application/json">{{data}}</script>
        <script>{{ChartLibrary.Value}}</script>
        <script>
        (function () {
          const data = JSON.parse(document.getElementById('report-data').textContent);
          Chart.defaults.animation = false;
          Chart.defaults.maintainAspectRatio = false;
          const link = document.getElementById('submission-link');
          if (link && location.protocol !== 'file:') link.href = 'submission.csv' + location.search;
          for (const table of document.querySelectorAll('table.sortable')) {
            const headers = Array.from(table.tHead.rows[0].cells);
            headers.forEach((th, column) => th.addEventListener('click', () => {
              const descending = th.getAttribute('aria-sort') !== 'descending';
              headers.forEach(h => { h.removeAttribute('aria-sort'); h.removeAttribute('data-arrow'); });
              th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
              th.setAttribute('data-arrow', descending ? ' \u25BC' : ' \u25B2');
              const key = row => { const cell = row.cells[column]; return cell.dataset.value !== undefined && cell.dataset.value !== '' ? parseFloat(cell.dataset.value) : cell.textContent; };
              const rows = Array.from(table.tBodies[0].rows).sort((a, b) => {
                const x = key(a), y = key(b);
                const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
                return descending ? -order : order;
              });
              for (const row of rows) table.tBodies[0].appendChild(row);
            }));
          }
          for (const c of data.charts) {
            if (c.config.data.datasets.some(d => d.gantt)) {
              c.config.options.plugins.tooltip = { callbacks: { label: item => item.raw.name } };
            }
            new Chart(document.getElementById(c.id), c.config);
          }
        })();
        </script>
        </body>
        </html>
        """;

    /// <summary>Chart.js, to inline into a page's script element (the monitor page uses it too).</summary>
    public static string ChartJs => ChartLibrary.Value;

    /// <summary>Chart.js (tools/package.json), embedded in this assembly at build time, its source-map comment removed.</summary>
    private static readonly Lazy<string> ChartLibrary = new(() =>
    {
        using var stream = typeof(RunReport).Assembly.GetManifestResourceStream("HmRec.Activities.chart.umd.min.js")
            ?? throw new InvalidOperationException("Chart.js is not embedded in HmRec.Activities; run 'make setup' and build again.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var map = text.LastIndexOf("//# sourceMappingURL=", StringComparison.Ordinal);
        // "</script" cannot occur inside an inline script; the library has none, and this keeps it so.
        return (map >= 0 ? text[..map] : text).Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);
    });

    /// <summary>Two columns of a model's training log, by header name; empty when the log or a column is missing.</summary>
    private static List<(int X, double Y)> ReadLog(string runDirectory, string model, string xColumn, string yColumn)
    {
        var path = new RunLayout(runDirectory).Model(model).TrainingLog;
        if (!File.Exists(path))
        {
            return [];
        }
        var lines = File.ReadAllLines(path);
        var header = lines.Length > 0 ? lines[0].Split(',') : [];
        int x = Array.IndexOf(header, xColumn), y = Array.IndexOf(header, yColumn);
        if (x < 0 || y < 0)
        {
            return [];
        }
        return lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length > Math.Max(x, y))
            .Select(f => (int.Parse(f[x], CultureInfo.InvariantCulture), double.Parse(f[y], CultureInfo.InvariantCulture))).ToList();
    }

    private static T? ReadJson<T>(string path)
        where T : class =>
        File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path)) : null;

    private static double At(IReadOnlyDictionary<string, double> values) => values.TryGetValue("12", out var v) ? v : double.NaN;

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 6) : 0;

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
