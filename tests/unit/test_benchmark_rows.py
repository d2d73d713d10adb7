"""The storage benchmark writes rows straight into the tables: its generated rows must fit today's schema, so a new
column fails here instead of in the next `make bench`."""

from benchmarks.bench_storage import _columns, generate
from rehab.storage import tables as t


def test_generated_rows_have_one_value_per_column_of_their_table():
    data = generate(20, 40)
    for name, rows in data.items():
        assert rows, name
        assert {len(row) for row in rows} == {len(_columns(t.metadata.tables[name]))}, name
