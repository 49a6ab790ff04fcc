// Splitting work into contiguous parts run on threads. Private to the
// engine.
#ifndef VIGIL_SRC_ENGINE_PARTS_H_
#define VIGIL_SRC_ENGINE_PARTS_H_

#include <algorithm>
#include <cstdint>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace vigil {
namespace internal {

// The start of part t of n equal contiguous parts of [0, count).
inline int PartBegin(int count, int t, int parts) {
  return static_cast<int>(static_cast<int64_t>(count) * t / parts);
}

// Runs body(t, begin, end) on `parts` contiguous parts of [0, count): part
// 0 on the calling thread, the others on worker threads.
// A part whose worker cannot be started (the system refuses a thread) runs
// on the calling thread too: same result, less parallel, never an abort.
// An exception in a worker (out of memory) is caught there and rethrown on
// the calling thread after every worker has joined: never std::terminate.
template <typename Body>
void RunInParts(int count, int parts, const Body& body) {
  std::vector<std::exception_ptr> errors(parts);
  const auto run = [&](int t) {
    try {
      body(t, PartBegin(count, t, parts), PartBegin(count, t + 1, parts));
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> workers;
  workers.reserve(parts);  // Before any thread starts: may throw, safely.
  int started = 1;
  for (; started < parts; ++started) {
    const int t = started;
    try {
      workers.emplace_back([&run, t] { run(t); });
    } catch (const std::system_error&) {
      break;
    }
  }
  run(0);
  for (int t = started; t < parts; ++t) run(t);
  for (std::thread& w : workers) w.join();
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

inline int PartsFor(int count, int threads) {
  return std::max(1, std::min(threads, count));
}

}  // namespace internal
}  // namespace vigil

#endif  // VIGIL_SRC_ENGINE_PARTS_H_
