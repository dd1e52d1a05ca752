namespace HmRec.Shared.DuckDb;

/// <summary>Accumulates one column across chunks: one typed copy per chunk, never a boxed cell.</summary>
internal abstract class DuckDbColumnBuilder
{
    private bool[] nulls = [];
    private bool anyNull;

    protected DuckDbColumnBuilder(string name, DuckDbType type)
    {
        Name = name;
        Type = type;
    }

    protected string Name { get; }

    protected DuckDbType Type { get; }

    protected int Count { get; private set; }

    protected bool[]? Nulls => anyNull ? nulls[..Count] : null;

    internal static DuckDbColumnBuilder For(string name, DuckDbType type) => DuckDbVector.ClrTypeOf(type) switch
    {
        { } t when t == typeof(bool) => new Fixed<bool>(name, type),
        { } t when t == typeof(sbyte) => new Fixed<sbyte>(name, type),
        { } t when t == typeof(short) => new Fixed<short>(name, type),
        { } t when t == typeof(int) => new Fixed<int>(name, type),
        { } t when t == typeof(long) => new Fixed<long>(name, type),
        { } t when t == typeof(byte) => new Fixed<byte>(name, type),
        { } t when t == typeof(ushort) => new Fixed<ushort>(name, type),
        { } t when t == typeof(uint) => new Fixed<uint>(name, type),
        { } t when t == typeof(ulong) => new Fixed<ulong>(name, type),
        { } t when t == typeof(float) => new Fixed<float>(name, type),
        { } t when t == typeof(double) => new Fixed<double>(name, type),
        null when type is DuckDbType.Varchar or DuckDbType.Blob => new Strings(name, type),
        _ => new Unsupported(name, type),
    };

    internal void Add(DuckDbVector vector)
    {
        var start = Count;
        EnsureCapacity(start + vector.Length);
        AddValues(vector, start);
        if (vector.HasValidityMask)
        {
            if (nulls.Length < start + vector.Length)
            {
                Array.Resize(ref nulls, Math.Max(start + vector.Length, nulls.Length * 2));
            }
            var chunkNulls = nulls.AsSpan(start, vector.Length);
            vector.CopyNulls(chunkNulls);
            if (chunkNulls.Contains(true))
            {
                anyNull = true;
                ClearNullValues(start, chunkNulls);
            }
        }
        Count = start + vector.Length;
        if (anyNull && nulls.Length < Count)
        {
            Array.Resize(ref nulls, Math.Max(Count, nulls.Length * 2));
        }
    }

    internal abstract DuckDbColumn Build();

    protected abstract void EnsureCapacity(int capacity);

    protected abstract void AddValues(DuckDbVector vector, int start);

    /// <summary>NULL rows of a fixed-width column read as default, never as whatever DuckDB left there.</summary>
    protected virtual void ClearNullValues(int start, ReadOnlySpan<bool> rowIsNull)
    {
    }

    private sealed class Fixed<T>(string name, DuckDbType type) : DuckDbColumnBuilder(name, type)
        where T : unmanaged
    {
        private T[] values = [];

        internal override DuckDbColumn Build() => new DuckDbColumn<T>(Name, Type, values[..Count], Nulls);

        protected override void EnsureCapacity(int capacity)
        {
            if (values.Length < capacity)
            {
                Array.Resize(ref values, Math.Max(capacity, values.Length * 2));
            }
        }

        protected override void AddValues(DuckDbVector vector, int start) => vector.GetValues<T>().CopyTo(values.AsSpan(start));

        protected override void ClearNullValues(int start, ReadOnlySpan<bool> rowIsNull)
        {
            for (var i = 0; i < rowIsNull.Length; i++)
            {
                if (rowIsNull[i])
                {
                    values[start + i] = default;
                }
            }
        }
    }

    private sealed class Strings(string name, DuckDbType type) : DuckDbColumnBuilder(name, type)
    {
        private string?[] values = [];

        internal override DuckDbColumn Build() => new DuckDbStringColumn(Name, Type, values[..Count], Nulls);

        protected override void EnsureCapacity(int capacity)
        {
            if (values.Length < capacity)
            {
                Array.Resize(ref values, Math.Max(capacity, values.Length * 2));
            }
        }

        protected override void AddValues(DuckDbVector vector, int start)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                values[start + i] = vector.GetString(i);
            }
        }
    }

    private sealed class Unsupported(string name, DuckDbType type) : DuckDbColumnBuilder(name, type)
    {
        internal override DuckDbColumn Build() =>
            throw new InvalidOperationException($"Column '{Name}' has type {Type}, which cannot be read into a typed column; cast it in SQL (e.g. ::DOUBLE or ::VARCHAR).");

        protected override void EnsureCapacity(int capacity)
        {
        }

        protected override void AddValues(DuckDbVector vector, int start)
        {
        }
    }
}
