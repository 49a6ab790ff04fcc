// vigil backtest: the dashboard replayed over a range of as-of periods.
#ifndef VIGIL_TOOLS_VIGIL_BACKTEST_COMMAND_H_
#define VIGIL_TOOLS_VIGIL_BACKTEST_COMMAND_H_

namespace vigil_tool {

const char* BacktestUsage();
int RunBacktest(int argc, char** argv);

}  // namespace vigil_tool

#endif  // VIGIL_TOOLS_VIGIL_BACKTEST_COMMAND_H_
