namespace HmRec.Shared.DuckDb;

/// <summary>The C API's <c>duckdb_state</c>.</summary>
internal enum DuckDbState
{
    Success = 0,
    Error = 1,
}
