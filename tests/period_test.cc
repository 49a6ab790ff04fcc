#include "vigil/period.h"

#include <cstdio>

#include "gtest/gtest.h"

namespace vigil {
namespace {

TEST(PeriodTest, ParsesEachIsoFormRoundTrip) {
  for (const char* text :
       {"2019-03", "2019-Q1", "2019-03-15", "2019", "2016-12", "2020-02-29"}) {
    absl::StatusOr<Period> p = ParsePeriod(text);
    ASSERT_TRUE(p.ok()) << text << ": " << p.status();
    EXPECT_EQ(FormatPeriod(*p), text);
  }
}

TEST(PeriodTest, ConsecutiveMonthsDifferByOneAcrossYearEnd) {
  EXPECT_EQ(ParsePeriod("2019-01")->index - ParsePeriod("2018-12")->index, 1);
  EXPECT_EQ(ParsePeriod("2019-Q1")->index - ParsePeriod("2018-Q4")->index, 1);
}

TEST(PeriodTest, RejectsMalformedPeriodsAndQuotesThem) {
  for (const char* text :
       {"", "19-03", "2019-13", "2019-00", "2019-Q5", "2019-02-30", "2019/03",
        "March 2019", "1899", "2019-3", "2019-03-1x"}) {
    absl::StatusOr<Period> p = ParsePeriod(text);
    EXPECT_FALSE(p.ok()) << text;
    EXPECT_NE(p.status().message().find(std::string("\"") + text + "\""),
              std::string::npos)
        << p.status();
  }
}

TEST(PeriodTest, DescribesPeriodsForReaders) {
  EXPECT_EQ(DescribePeriod(*ParsePeriod("2019-03")), "Mar 2019");
  EXPECT_EQ(DescribePeriod(*ParsePeriod("2019-Q1")), "Q1 2019");
  EXPECT_EQ(DescribePeriod(*ParsePeriod("2019-03-05")), "5 Mar 2019");
  EXPECT_EQ(DescribePeriod(*ParsePeriod("2019")), "2019");
}

TEST(PeriodTest, ConvertsAsOfToEachFrequency) {
  const Period march = *ParsePeriod("2019-03");
  EXPECT_EQ(FormatPeriod(ConvertPeriod(march, Frequency::kQuarterly)),
            "2019-Q1");
  EXPECT_EQ(FormatPeriod(ConvertPeriod(march, Frequency::kAnnual)), "2019");
  EXPECT_EQ(FormatPeriod(ConvertPeriod(march, Frequency::kDaily)),
            "2019-03-31");
  EXPECT_EQ(
      FormatPeriod(ConvertPeriod(*ParsePeriod("2019-Q2"), Frequency::kMonthly)),
      "2019-06");
}

TEST(PeriodTest, FirstDayOfMonthReadsAsThatMonth) {
  const Period day = *ParsePeriod("2016-04-01");
  EXPECT_EQ(FormatPeriod(FirstDayAsPeriod(day, Frequency::kMonthly)),
            "2016-04");
  const Period mid = *ParsePeriod("2016-04-02");
  EXPECT_EQ(FirstDayAsPeriod(mid, Frequency::kMonthly), mid);
}

TEST(PeriodTest, FinancialYearStartsInApril) {
  EXPECT_EQ(FormatPeriod(FinancialYearStart(*ParsePeriod("2019-03"))),
            "2018-04");
  EXPECT_EQ(FormatPeriod(FinancialYearStart(*ParsePeriod("2019-04"))),
            "2019-04");
  EXPECT_EQ(FormatPeriod(FinancialYearStart(*ParsePeriod("2019-Q1"))),
            "2018-Q2");
  EXPECT_EQ(FormatPeriod(FinancialYearStart(*ParsePeriod("2019-05-20"))),
            "2019-04-01");
}

TEST(PeriodTest, SamePeriodLastYear) {
  EXPECT_EQ(FormatPeriod(SamePeriodLastYear(*ParsePeriod("2019-03"))),
            "2018-03");
  EXPECT_EQ(FormatPeriod(SamePeriodLastYear(*ParsePeriod("2019-Q2"))),
            "2018-Q2");
  EXPECT_EQ(FormatPeriod(SamePeriodLastYear(*ParsePeriod("2020-02-29"))),
            "2019-02-28");
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// Every month from year -20 to 10019 prints as printf("%04d-%02d") and
// "Mon YYYY" (years padded to 4 digits, a minus sign first), on both sides
// of the years 1000..9999 that are written at once.
TEST(PeriodTest, EveryMonthFormatsAsPrintfWouldPrintIt) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
  for (int index = -240; index < 120240; ++index) {
    const int year = index >= 0 ? index / 12 : -((-index + 11) / 12);
    const int month = index - year * 12;
    char iso[32];
    std::snprintf(iso, sizeof(iso), "%04d-%02d", year, month + 1);
    char described[32];
    std::snprintf(described, sizeof(described), "%s %04d", kMonths[month],
                  year);
    const Period period{Frequency::kMonthly, index};
    ASSERT_EQ(FormatPeriod(period), iso) << index;
    ASSERT_EQ(DescribePeriod(period), described) << index;
  }
}

}  // namespace
}  // namespace vigil
