// Distributed evaluation (Engine::GatherPartition, MergeStatistics,
// EvaluatePartition, MergePartialReports) against Evaluate on the whole
// data: the reference pack (peer funnels, escalation by signals) with a
// composite rule on the real A&E example, split by provider into parts;
// and every mistake of a part refused, naming it.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"
#include "vigil/engine.h"
#include "vigil/io.h"

namespace vigil {
namespace {

const std::string kExample =
    std::string(VIGIL_SOURCE_DIR) + "/examples/nhs_early_warning/";

struct Row {
  ObservationRow row;
  int64_t line;
};

// observations.csv's rows (plain cells: no quotes), with their lines, and
// bad rows: an unknown provider, a bad period, a duplicate.
std::vector<Row> ReadObservations(std::vector<std::string>* text) {
  const absl::StatusOr<std::string> file =
      ReadFile(kExample + "observations.csv");
  EXPECT_TRUE(file.ok());
  for (absl::string_view line : absl::StrSplit(*file, '\n')) {
    if (!line.empty()) text->emplace_back(line);
  }
  text->push_back("ZZZ,AE_4HR_T1,2018-06,,1,2");
  text->push_back("R0A,AE_4HR_T1,2019-13,,1,2");
  text->push_back("R1F,AE_ATT_T1,2018-06,123,,");
  std::vector<Row> rows;
  for (size_t k = 1; k < text->size(); ++k) {  // Line 1: the header.
    const std::vector<absl::string_view> cells =
        absl::StrSplit((*text)[k], ',');
    Row r;
    r.line = static_cast<int64_t>(k) + 1;
    r.row.provider_id = cells[0];
    r.row.indicator_id = cells[1];
    r.row.period = cells[2];
    double* numbers[] = {&r.row.value, &r.row.numerator, &r.row.denominator};
    bool* given[] = {&r.row.has_value, &r.row.has_numerator,
                     &r.row.has_denominator};
    for (int c = 0; c < 3; ++c) {
      *given[c] = !cells[3 + c].empty();
      if (*given[c]) *numbers[c] = std::stod(std::string(cells[3 + c]));
    }
    rows.push_back(r);
  }
  return rows;
}

// The first `n` (default: all) of `parts`, as MergePartialReports takes
// them.
std::vector<v1::PartialReport*> Pointers(std::vector<v1::PartialReport>& parts,
                                         size_t n = SIZE_MAX) {
  std::vector<v1::PartialReport*> out;
  for (size_t k = 0; k < parts.size() && k < n; ++k) out.push_back(&parts[k]);
  return out;
}

class PartitionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        Engine::Create(testing::ExamplePackWithComposite(kExample));
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    rows_ = ReadObservations(&text_);
  }

  // A store of the tables and the rows `keep` says yes to.
  SeriesStore Store(const std::function<bool(const Row&)>& keep) const {
    DatasetIndexer indexer;
    EXPECT_TRUE(
        AddDataFile(kExample + "providers.csv", DataKind::kProviders, &indexer)
            .ok());
    EXPECT_TRUE(AddDataFile(kExample + "indicators.csv", DataKind::kIndicators,
                            &indexer)
                    .ok());
    const int source = indexer.AddSource("observations.csv");
    for (const Row& r : rows_) {
      if (keep(r)) indexer.AddObservation(r.row, source, r.line);
    }
    return std::move(indexer).Build();
  }

  static int OwnerOf(absl::string_view provider, int parts) {
    return static_cast<int>(std::hash<std::string>()(std::string(provider)) %
                            parts);
  }

  // The parts' specs: provider ids of the table by OwnerOf.
  std::vector<PartitionSpec> Specs(const SeriesStore& tables, int parts) const {
    std::vector<PartitionSpec> specs(parts);
    for (int k = 0; k < parts; ++k) {
      specs[k].index = k;
      specs[k].shared_sources = {"providers.csv", "indicators.csv"};
    }
    for (const v1::Provider& p : tables.providers()) {
      specs[OwnerOf(p.id(), parts)].owned_provider_ids.push_back(p.id());
    }
    return specs;
  }

  // The three steps on `parts` parts.
  absl::Status Distributed(int parts, const std::string& as_of,
                           const EvaluateOptions& options,
                           v1::Report* report) const {
    const SeriesStore tables = Store([](const Row&) { return false; });
    const std::vector<PartitionSpec> specs = Specs(tables, parts);
    std::vector<SeriesStore> stores;
    for (int k = 0; k < parts; ++k) {
      stores.push_back(Store([&](const Row& r) {
        return OwnerOf(r.row.provider_id, parts) == k;
      }));
    }
    std::vector<v1::PartitionStatistics> gathered(parts);
    for (int k = 0; k < parts; ++k) {
      if (absl::Status s = engine_->GatherPartition(stores[k], as_of, specs[k],
                                                    &gathered[k]);
          !s.ok()) {
        return s;
      }
    }
    v1::PartitionStatistics all;
    if (absl::Status s = engine_->MergeStatistics(gathered, &all); !s.ok()) {
      return s;
    }
    std::vector<v1::PartialReport> partials(parts);
    for (int k = 0; k < parts; ++k) {
      if (absl::Status s = engine_->EvaluatePartition(
              stores[k], as_of, specs[k], all, options, &partials[k]);
          !s.ok()) {
        return s;
      }
    }
    return engine_->MergePartialReports(tables, Pointers(partials), options,
                                        report);
  }

  // The back-test's three steps on `parts` parts.
  absl::Status DistributedTimeline(int parts, const std::string& from,
                                   const std::string& to,
                                   v1::Timeline* timeline) const {
    const SeriesStore tables = Store([](const Row&) { return false; });
    const std::vector<PartitionSpec> specs = Specs(tables, parts);
    std::vector<SeriesStore> stores;
    for (int k = 0; k < parts; ++k) {
      stores.push_back(Store([&](const Row& r) {
        return OwnerOf(r.row.provider_id, parts) == k;
      }));
    }
    std::vector<v1::PartitionStatistics> gathered(parts);
    for (int k = 0; k < parts; ++k) {
      if (absl::Status s = engine_->GatherTimelinePartition(
              stores[k], from, to, specs[k], &gathered[k]);
          !s.ok()) {
        return s;
      }
    }
    v1::PartitionStatistics all;
    if (absl::Status s = engine_->MergeStatistics(gathered, &all); !s.ok()) {
      return s;
    }
    std::vector<v1::PartialTimeline> partials(parts);
    for (int k = 0; k < parts; ++k) {
      if (absl::Status s = engine_->EvaluateTimelinePartition(
              stores[k], from, to, specs[k], all, {}, &partials[k]);
          !s.ok()) {
        return s;
      }
    }
    return engine_->MergeTimelinePartitions(tables, partials, {}, timeline);
  }

  std::unique_ptr<Engine> engine_;
  std::vector<std::string> text_;
  std::vector<Row> rows_;
};

TEST_F(PartitionTest, PartsGiveTheWholeReportByteForByte) {
  const SeriesStore whole = Store([](const Row&) { return true; });
  for (const char* as_of : {"2019-03", "2018-12"}) {
    for (const int charts : {0, 12}) {
      EvaluateOptions options;
      options.chart_periods = charts;
      absl::StatusOr<v1::Report> one = engine_->Evaluate(whole, as_of, options);
      ASSERT_TRUE(one.ok()) << one.status();
      // The comparison covers peers, composites, escalation, diagnostics.
      ASSERT_GT(one->assessments_size(), 1500);
      ASSERT_GE(one->diagnostics_size(), 3);
      EXPECT_EQ(one->funnels_size(), charts > 0 ? 2 : 0);
      for (const int parts : {1, 3, 7}) {
        v1::Report merged;
        const absl::Status s = Distributed(parts, as_of, options, &merged);
        ASSERT_TRUE(s.ok()) << s;
        EXPECT_EQ(merged.SerializeAsString(), one->SerializeAsString())
            << as_of << ", " << parts << " parts, chart_periods " << charts;
      }
    }
  }
}

TEST_F(PartitionTest, PartsGiveTheWholeBacktestByteForByte) {
  const SeriesStore whole = Store([](const Row&) { return true; });
  v1::Timeline one;
  ASSERT_TRUE(
      engine_->EvaluateTimeline(whole, "2018-01", "2019-03", {}, &one).ok());
  ASSERT_GT(one.rules_size(), 1500);
  int escalated = 0;
  for (const v1::ProviderTimeline& p : one.providers()) {
    for (const int level : p.escalation()) {
      escalated += level >= v1::ESCALATION_LEVEL_ENHANCED_SURVEILLANCE;
    }
  }
  ASSERT_GT(escalated, 10);
  for (const int parts : {1, 4}) {
    v1::Timeline merged;
    const absl::Status s =
        DistributedTimeline(parts, "2018-01", "2019-03", &merged);
    ASSERT_TRUE(s.ok()) << s;
    EXPECT_EQ(merged.SerializeAsString(), one.SerializeAsString())
        << parts << " parts";
  }
}

TEST_F(PartitionTest, TimelinePartsOwningAProviderTwiceOrNotAtAllAreRefused) {
  const SeriesStore tables = Store([](const Row&) { return false; });
  const SeriesStore r0a =
      Store([](const Row& r) { return r.row.provider_id == "R0A"; });
  PartitionSpec part;
  part.owned_provider_ids = {"R0A"};
  v1::PartitionStatistics stats;
  ASSERT_TRUE(
      engine_->GatherTimelinePartition(r0a, "2019-01", "2019-03", part, &stats)
          .ok());
  std::vector<v1::PartialTimeline> partials(2);
  ASSERT_TRUE(engine_
                  ->EvaluateTimelinePartition(r0a, "2019-01", "2019-03", part,
                                              stats, {}, &partials[0])
                  .ok());
  v1::Timeline timeline;
  absl::Status s = engine_->MergeTimelinePartitions(
      tables, absl::MakeConstSpan(partials).first(1), {}, &timeline);
  EXPECT_TRUE(absl::StrContains(s.message(), "is owned by no partition")) << s;
  // Two parts owning R0A (as if each had been judged on both parts'
  // statistics).
  partials[0].add_statistics_parts(1);
  partials[1] = partials[0];
  partials[1].set_partition(1);
  s = engine_->MergeTimelinePartitions(tables, partials, {}, &timeline);
  EXPECT_TRUE(absl::StrContains(
      s.message(), "provider 'R0A' is owned by partitions 0 and 1"))
      << s;
  partials[1].mutable_ratings()->pop_back();
  s = engine_->MergeTimelinePartitions(tables, partials, {}, &timeline);
  EXPECT_TRUE(absl::StrContains(s.message(), "not a table")) << s;
  // Statistics of another range.
  s = engine_->EvaluateTimelinePartition(r0a, "2018-12", "2019-03", part, stats,
                                         {}, &partials[0]);
  EXPECT_TRUE(absl::StrContains(s.message(), "as of '2019-01' to '2019-03'"))
      << s;
}

TEST_F(PartitionTest, AsOfIsRequired) {
  const SeriesStore store = Store([](const Row&) { return true; });
  v1::PartitionStatistics out;
  const absl::Status s = engine_->GatherPartition(store, "", {}, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "as_of: required")) << s;
}

TEST_F(PartitionTest, RowsOfAProviderThePartDoesNotOwnAreRefused) {
  const SeriesStore store = Store([](const Row&) { return true; });
  PartitionSpec part;
  part.owned_provider_ids = {"R0A"};
  v1::PartitionStatistics out;
  const absl::Status s = engine_->GatherPartition(store, "2019-03", part, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "which it does not own")) << s;
}

TEST_F(PartitionTest, AProviderInNoPartOrInTwoIsRefusedNamingIt) {
  const SeriesStore tables = Store([](const Row&) { return false; });
  const SeriesStore r0a =
      Store([](const Row& r) { return r.row.provider_id == "R0A"; });
  PartitionSpec part;
  part.owned_provider_ids = {"R0A"};
  v1::PartitionStatistics stats;
  ASSERT_TRUE(engine_->GatherPartition(r0a, "2019-03", part, &stats).ok());
  std::vector<v1::PartialReport> partials(2);
  ASSERT_TRUE(
      engine_->EvaluatePartition(r0a, "2019-03", part, stats, {}, &partials[0])
          .ok());
  v1::Report report;
  absl::Status s =
      engine_->MergePartialReports(tables, Pointers(partials, 1), {}, &report);
  EXPECT_TRUE(absl::StrContains(s.message(), "is owned by no partition")) << s;

  // Statistics of "both" parts, so that each part may be judged on them.
  stats.add_parts(1);
  ASSERT_TRUE(
      engine_->EvaluatePartition(r0a, "2019-03", part, stats, {}, &partials[0])
          .ok());
  part.index = 1;
  ASSERT_TRUE(
      engine_->EvaluatePartition(r0a, "2019-03", part, stats, {}, &partials[1])
          .ok());
  s = engine_->MergePartialReports(tables, Pointers(partials), {}, &report);
  EXPECT_TRUE(absl::StrContains(
      s.message(), "provider 'R0A' is owned by partitions 0 and 1"))
      << s;
}

TEST_F(PartitionTest, StatisticsOfAnotherPeriodOrMissingAreRefused) {
  const SeriesStore store = Store([](const Row&) { return true; });
  PartitionSpec all;
  for (const v1::Provider& p : store.providers()) {
    all.owned_provider_ids.push_back(p.id());
  }
  v1::PartitionStatistics stats;
  ASSERT_TRUE(engine_->GatherPartition(store, "2019-02", all, &stats).ok());
  v1::PartialReport partial;
  absl::Status s =
      engine_->EvaluatePartition(store, "2019-03", all, stats, {}, &partial);
  EXPECT_TRUE(absl::StrContains(s.message(), "as of '2019-02'")) << s;

  ASSERT_TRUE(engine_->GatherPartition(store, "2019-03", all, &stats).ok());
  stats.clear_statistics();
  s = engine_->EvaluatePartition(store, "2019-03", all, stats, {}, &partial);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.message(), "statistics: none for rule '"))
      << s;
}

TEST_F(PartitionTest, CorruptStatisticsAndPartialReportsAreRefused) {
  const SeriesStore store = Store([](const Row&) { return true; });
  const SeriesStore tables = Store([](const Row&) { return false; });
  PartitionSpec all;
  for (const v1::Provider& p : store.providers()) {
    all.owned_provider_ids.push_back(p.id());
  }
  v1::PartitionStatistics stats;
  ASSERT_TRUE(engine_->GatherPartition(store, "2019-03", all, &stats).ok());
  ASSERT_GT(stats.statistics_size(), 0);

  v1::PartitionStatistics bad = stats;
  bad.mutable_statistics(0)->mutable_data()->push_back('x');
  v1::PartitionStatistics merged;
  absl::Status s = engine_->MergeStatistics({bad}, &merged);
  EXPECT_TRUE(absl::StrContains(s.message(), "not a whole number of points"))
      << s;
  // A provider index past the table.
  bad = stats;
  (*bad.mutable_statistics(0)->mutable_data())[0] = '\x7f';
  (*bad.mutable_statistics(0)->mutable_data())[1] = '\x7f';
  s = engine_->MergeStatistics({bad}, &merged);
  EXPECT_TRUE(absl::StrContains(s.message(), "provider index")) << s;
  // The same part twice.
  s = engine_->MergeStatistics({stats, stats}, &merged);
  EXPECT_TRUE(absl::StrContains(s.message(), "one part are given twice")) << s;
  // Two parts with the same providers.
  v1::PartitionStatistics other = stats;
  other.set_parts(0, 1);
  s = engine_->MergeStatistics({stats, other}, &merged);
  EXPECT_TRUE(absl::StrContains(s.message(), "hold a provider twice")) << s;
  // A part judged on its own statistics only, merged with another part.
  {
    v1::PartialReport lone;
    ASSERT_TRUE(
        engine_->EvaluatePartition(store, "2019-03", all, stats, {}, &lone)
            .ok());
    v1::PartialReport second = lone;
    second.set_partition(1);
    std::vector<v1::PartialReport> two = {lone, second};
    v1::Report two_report;
    s = engine_->MergePartialReports(tables, Pointers(two), {}, &two_report);
    EXPECT_TRUE(absl::StrContains(
        s.message(), "judged on the statistics of 1 part(s), not of all 2"))
        << s;
  }
  // Statistics of other tables.
  {
    v1::PartitionStatistics other_tables = stats;
    other_tables.set_tables(stats.tables() + 1);
    v1::PartialReport refused;
    s = engine_->EvaluatePartition(store, "2019-03", all, other_tables, {},
                                   &refused);
    EXPECT_TRUE(absl::StrContains(s.message(), "other providers or indicators"))
        << s;
  }

  v1::PartialReport partial;
  ASSERT_TRUE(
      engine_->EvaluatePartition(store, "2019-03", all, stats, {}, &partial)
          .ok());
  v1::Report report;
  {
    v1::PartialReport copy = partial;
    copy.set_assessment_provider(0, 100000);
    s = engine_->MergePartialReports(tables, {&copy}, {}, &report);
    EXPECT_TRUE(absl::StrContains(s.message(), "assessment 0 is of no")) << s;
  }
  {
    v1::PartialReport copy = partial;
    copy.mutable_lookback_ratings()->pop_back();
    s = engine_->MergePartialReports(tables, {&copy}, {}, &report);
    EXPECT_TRUE(absl::StrContains(s.message(), "not a table")) << s;
  }
  {
    v1::PartialReport copy = partial;
    copy.set_engine_version("0.0.1");
    s = engine_->MergePartialReports(tables, {&copy}, {}, &report);
    EXPECT_TRUE(absl::StrContains(s.message(), "engine version '0.0.1'")) << s;
  }
  EvaluateOptions small;
  small.max_assessments = 10;
  s = engine_->MergePartialReports(tables, {&partial}, small, &report);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted) << s;
}

TEST_F(PartitionTest, DataWithoutAProvidersTableIsRefused) {
  DatasetIndexer indexer;
  ASSERT_TRUE(
      AddDataFile(kExample + "indicators.csv", DataKind::kIndicators, &indexer)
          .ok());
  const int source = indexer.AddSource("observations.csv");
  for (size_t k = 0; k < 50; ++k) {
    indexer.AddObservation(rows_[k].row, source, rows_[k].line);
  }
  const SeriesStore store = std::move(indexer).Build();
  PartitionSpec part;
  for (const v1::Provider& p : store.providers()) {
    part.owned_provider_ids.push_back(p.id());
  }
  v1::PartitionStatistics out;
  const absl::Status s = engine_->GatherPartition(store, "2019-03", part, &out);
  EXPECT_TRUE(absl::StrContains(s.message(), "needs the providers table")) << s;
}

TEST_F(PartitionTest, AnIndicatorWithoutADeclaredFrequencyIsRefused) {
  DatasetIndexer indexer;
  v1::Indicator indicator;
  indicator.set_id("X");
  indexer.AddIndicator(indicator, indexer.AddSource("indicators"), 1);
  const SeriesStore store = std::move(indexer).Build();
  v1::PartitionStatistics out;
  const absl::Status s = engine_->GatherPartition(store, "2019-03", {}, &out);
  EXPECT_TRUE(absl::StrContains(s.message(), "'X' has no frequency")) << s;
}

}  // namespace
}  // namespace vigil
