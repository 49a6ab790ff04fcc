#include "vigil/series_store.h"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

namespace vigil {

int SeriesView::IndexOf(Period period) const {
  if (period.frequency != first.frequency) return -1;
  const int64_t k = static_cast<int64_t>(period.index) - first.index;
  return (k >= 0 && k < size()) ? static_cast<int>(k) : -1;
}

int PlanView::IndexOf(Period period) const {
  if (period.frequency != first.frequency) return -1;
  const int64_t k = static_cast<int64_t>(period.index) - first.index;
  return (k >= 0 && k < size()) ? static_cast<int>(k) : -1;
}

double PlanView::At(Period period) const {
  const int k = IndexOf(period);
  return k < 0 ? std::numeric_limits<double>::quiet_NaN() : values[k];
}

SeriesStore::SeriesStore()
    : provider_series_begin_(1, 0),
      provider_plan_begin_(1, 0),
      indicator_series_begin_(1, 0),
      indicator_plan_begin_(1, 0) {}
SeriesStore::SeriesStore(SeriesStore&&) noexcept = default;
SeriesStore& SeriesStore::operator=(SeriesStore&&) noexcept = default;
SeriesStore::~SeriesStore() = default;

SeriesView SeriesStore::series(int i) const {
  const SeriesInfo& info = series_[i];
  SeriesView view;
  view.provider = info.provider;
  view.indicator = info.indicator;
  view.first = info.first;
  const size_t offset = static_cast<size_t>(info.offset);
  const size_t length = static_cast<size_t>(info.length);
  view.values = absl::MakeConstSpan(values_.data() + offset, length);
  if (info.ratio_offset < 0) {
    view.numerators = absl::MakeConstSpan(no_ratio_.data(), length);
    view.denominators = view.numerators;
  } else {
    const size_t ratio_offset = static_cast<size_t>(info.ratio_offset);
    view.numerators =
        absl::MakeConstSpan(numerators_.data() + ratio_offset, length);
    view.denominators =
        absl::MakeConstSpan(denominators_.data() + ratio_offset, length);
  }
  view.status = absl::MakeConstSpan(status_.data() + offset, length);
  view.has_denominators = info.has_denominators;
  return view;
}

int SeriesStore::FindSeries(int provider, int indicator) const {
  if (provider < 0 || provider >= static_cast<int>(providers_.size()))
    return -1;
  auto begin = series_.begin() + provider_series_begin_[provider];
  auto end = series_.begin() + provider_series_begin_[provider + 1];
  auto it = std::lower_bound(
      begin, end, indicator,
      [](const SeriesInfo& s, int ind) { return s.indicator < ind; });
  if (it == end || it->indicator != indicator) return -1;
  return static_cast<int>(it - series_.begin());
}

PlanView SeriesStore::plan(int i) const {
  const PlanInfo& info = plans_[i];
  PlanView view;
  view.provider = info.provider;
  view.indicator = info.indicator;
  view.first = info.first;
  view.values = absl::MakeConstSpan(
      plan_values_.data() + static_cast<size_t>(info.offset),
      static_cast<size_t>(info.length));
  return view;
}

int SeriesStore::FindPlan(int provider, int indicator) const {
  auto it = std::lower_bound(
      plans_.begin(), plans_.end(), std::make_pair(provider, indicator),
      [](const PlanInfo& p, const std::pair<int, int>& key) {
        return std::make_pair(p.provider, p.indicator) < key;
      });
  if (it == plans_.end() || it->provider != provider ||
      it->indicator != indicator) {
    return -1;
  }
  return static_cast<int>(it - plans_.begin());
}

int SeriesStore::FindProvider(absl::string_view id) const {
  auto it = provider_index_.find(id);
  return it == provider_index_.end() ? -1 : it->second;
}

int SeriesStore::FindIndicator(absl::string_view id) const {
  auto it = indicator_index_.find(id);
  return it == indicator_index_.end() ? -1 : it->second;
}

}  // namespace vigil

namespace vigil {
namespace {

// A counting sort of `count` items by key(j) into [0, keys): fills
// begin[0..keys] and the items in key order (stable: by position).
template <typename Key>
void IndexBy(int keys, int count, const Key& key, std::vector<int32_t>* begin,
             std::vector<int32_t>* items) {
  begin->assign(keys + 1, 0);
  for (int j = 0; j < count; ++j) ++(*begin)[key(j) + 1];
  for (int k = 0; k < keys; ++k) (*begin)[k + 1] += (*begin)[k];
  items->resize(count);
  std::vector<int32_t> next(begin->begin(), begin->end() - 1);
  for (int j = 0; j < count; ++j) (*items)[next[key(j)]++] = j;
}

}  // namespace

void SeriesStore::IndexPairs() {
  const int providers = static_cast<int>(providers_.size());
  const int indicators = static_cast<int>(indicators_.size());
  if (provider_series_begin_.size() != providers_.size() + 1) {
    provider_series_begin_.assign(providers + 1, 0);  // No series at all.
  }
  std::vector<int32_t> plans_by_provider;
  IndexBy(
      providers, num_plans(), [this](int j) { return plans_[j].provider; },
      &provider_plan_begin_, &plans_by_provider);
  IndexBy(
      indicators, num_series(), [this](int j) { return series_[j].indicator; },
      &indicator_series_begin_, &series_by_indicator_);
  IndexBy(
      indicators, num_plans(), [this](int j) { return plans_[j].indicator; },
      &indicator_plan_begin_, &plans_by_indicator_);
}

absl::Span<const int32_t> SeriesStore::indicator_series(int indicator) const {
  return absl::MakeConstSpan(series_by_indicator_)
      .subspan(indicator_series_begin_[indicator],
               indicator_series_begin_[indicator + 1] -
                   indicator_series_begin_[indicator]);
}

absl::Span<const int32_t> SeriesStore::indicator_plans(int indicator) const {
  return absl::MakeConstSpan(plans_by_indicator_)
      .subspan(indicator_plan_begin_[indicator],
               indicator_plan_begin_[indicator + 1] -
                   indicator_plan_begin_[indicator]);
}

}  // namespace vigil
