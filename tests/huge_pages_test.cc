// The huge-page buffers of indexing (src/data/huge_pages.h) and the pending
// rows kept in one of them.
#include "src/data/huge_pages.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "src/data/indexer_internal.h"
#include "vigil/series_store.h"

namespace vigil {
namespace internal {
namespace {

PendingRow RowNumbered(uint32_t n) {
  PendingRow row{};
  row.value = n * 0.5;
  row.numerator = n;
  row.denominator = n + 1.0;
  row.key = static_cast<int32_t>(n % 977);
  row.row_low = n;
  row.period_index = static_cast<int32_t>(n % 120);
  row.status = static_cast<uint8_t>(n % 3);
  row.has_value = (n & 1) != 0;
  row.has_ratio = (n & 2) != 0;
  return row;
}

void ExpectRowNumbered(const PendingRow& row, uint32_t n) {
  const PendingRow want = RowNumbered(n);
  ASSERT_EQ(row.row_low, want.row_low);
  ASSERT_EQ(row.value, want.value);
  ASSERT_EQ(row.numerator, want.numerator);
  ASSERT_EQ(row.denominator, want.denominator);
  ASSERT_EQ(row.key, want.key);
  ASSERT_EQ(row.period_index, want.period_index);
  ASSERT_EQ(row.status, want.status);
  ASSERT_EQ(row.has_value, want.has_value);
  ASSERT_EQ(row.has_ratio, want.has_ratio);
}

TEST(PendingRowsTest, KeepsEveryRowInOrderAcrossManyDoublings) {
  // 400,000 rows: the mapping starts at one huge page (52,428 rows) and is
  // moved by mremap three times; no row may be lost or changed.
  PendingRows rows;
  constexpr uint32_t kRows = 400000;
  for (uint32_t n = 0; n < kRows; ++n) rows.push_back(RowNumbered(n));
  ASSERT_EQ(rows.size(), kRows);
  for (uint32_t n = 0; n < kRows; ++n) ExpectRowNumbered(rows[n], n);
  uint32_t seen = 0;
  rows.ForEach([&](PendingRow& row) { ExpectRowNumbered(row, seen++); });
  EXPECT_EQ(seen, kRows);
  rows[7].status = PendingRow::kDropped;
  EXPECT_TRUE(rows[7].dropped());
}

TEST(PendingRowsTest, MovingHandsTheRowsOverAndEmptiesTheSource) {
  PendingRows rows;
  for (uint32_t n = 0; n < 60000; ++n) rows.push_back(RowNumbered(n));
  PendingRows moved(std::move(rows));
  EXPECT_EQ(rows.size(), 0u);  // NOLINT(bugprone-use-after-move)
  ASSERT_EQ(moved.size(), 60000u);
  ExpectRowNumbered(moved[59999], 59999);

  PendingRows assigned;
  assigned.push_back(RowNumbered(1));
  assigned = std::move(moved);
  ASSERT_EQ(assigned.size(), 60000u);
  ExpectRowNumbered(assigned[12345], 12345);
  // Freed as the store builder frees them; then usable again.
  assigned = PendingRows();
  EXPECT_EQ(assigned.size(), 0u);
  assigned.push_back(RowNumbered(3));
  ExpectRowNumbered(assigned[0], 3);
}

TEST(HugePagesTest, MappingIsZeroedWritableAndGrowsKeepingItsBytes) {
  const size_t bytes = kHugePageBytes + 12345;
  auto* data = static_cast<unsigned char*>(MapHugePages(bytes));
  ASSERT_NE(data, nullptr);
  for (size_t i = 0; i < bytes; i += 4096) ASSERT_EQ(data[i], 0);
  for (size_t i = 0; i < bytes; ++i) data[i] = static_cast<unsigned char>(i);
  const size_t grown_bytes = 3 * kHugePageBytes;
  auto* grown =
      static_cast<unsigned char*>(RemapHugePages(data, bytes, grown_bytes));
  ASSERT_NE(grown, nullptr);
  for (size_t i = 0; i < bytes; ++i) {
    ASSERT_EQ(grown[i], static_cast<unsigned char>(i)) << "byte " << i;
  }
  grown[grown_bytes - 1] = 7;  // The new room is usable to its last byte.
  EXPECT_EQ(grown[grown_bytes - 1], 7);
  UnmapHugePages(grown, grown_bytes);
  UnmapHugePages(nullptr, 0);  // Nothing to unmap: no effect.
}

TEST(HugePagesTest, AdviceKeepsTheContentsOfMallocMemoryAndOfTinyRanges) {
  // Advice on memory already written, on ranges smaller than a huge page and
  // on ranges that hold no whole aligned huge page changes no byte.
  const size_t bytes = 5 * kHugePageBytes + 100;
  auto* data = static_cast<unsigned char*>(std::malloc(bytes));
  ASSERT_NE(data, nullptr);
  for (size_t i = 0; i < bytes; ++i)
    data[i] = static_cast<unsigned char>(i * 7);
  AdviseHugePages(data, bytes);
  AdviseHugePages(data + 3, 100);
  AdviseHugePages(data + 1, kHugePageBytes + 1);
  AdviseHugePages(data, 0);
  for (size_t i = 0; i < bytes; ++i) {
    ASSERT_EQ(data[i], static_cast<unsigned char>(i * 7)) << "byte " << i;
  }
  std::free(data);
}

TEST(HugePagesTest, LargeMappingsStartOnAHugePageBoundary) {
  for (size_t bytes : {kHugePageBytes, kHugePageBytes + 1, 5 * kHugePageBytes,
                       (size_t{9} << 20) + 4097}) {
    void* data = MapHugePages(bytes);
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(data) % kHugePageBytes, 0u) << bytes;
    static_cast<char*>(data)[bytes - 1] = 1;  // Mapped to its last byte.
    UnmapHugePages(data, bytes);
  }
}

TEST(HugePagesTest, ColumnsSmallAndLargeKeepTheirValuesAsTheyGrow) {
  // A column grows through operator new's blocks into mapped ones (and is
  // copied between them), as the store's columns and the row order do.
  Column<double> column;
  for (int i = 0; i < 1000000; ++i) column.push_back(i * 0.25);
  for (int i = 0; i < 1000000; ++i) ASSERT_EQ(column[i], i * 0.25) << i;
  column.resize(3000000, -1.0);
  EXPECT_EQ(column.back(), -1.0);
  Column<double> copy = column;
  EXPECT_EQ(copy[999999], 999999 * 0.25);
  column.clear();
  column.shrink_to_fit();
  Column<uint32_t> small(10, 7);
  EXPECT_EQ(small[9], 7u);
}

}  // namespace
}  // namespace internal
}  // namespace vigil
