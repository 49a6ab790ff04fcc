#include "src/data/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>

namespace vigil {
namespace internal {
namespace {

constexpr size_t kPageBytes = 4096;

size_t WholePages(size_t bytes) {
  return (bytes + kPageBytes - 1) & ~(kPageBytes - 1);
}

}  // namespace

void AdviseHugePages(void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  const uintptr_t begin = reinterpret_cast<uintptr_t>(data);
  const uintptr_t first = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t end = (begin + bytes) & ~(kHugePageBytes - 1);
  if (bytes < kHugePageBytes || first >= end) return;
  // Advice only: a kernel without THP refuses it and nothing changes.
  ::madvise(reinterpret_cast<void*>(first), end - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

void* MapHugePages(size_t bytes) {
  const size_t size = WholePages(bytes);
  void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) return nullptr;
  AdviseHugePages(data, size);
  return data;
}

void* RemapHugePages(void* data, size_t old_bytes, size_t new_bytes) {
  const size_t old_size = WholePages(old_bytes);
  const size_t new_size = WholePages(new_bytes);
  void* grown = ::mremap(data, old_size, new_size, MREMAP_MAYMOVE);
  if (grown != MAP_FAILED) {
    AdviseHugePages(grown, new_size);
    return grown;
  }
  // Where mremap cannot move a mapping (under valgrind, which only grows
  // one in place), a new mapping and a copy.
  void* copy = MapHugePages(new_size);
  if (copy == nullptr) return nullptr;
  std::memcpy(copy, data, old_size);
  ::munmap(data, old_size);
  return copy;
}

void UnmapHugePages(void* data, size_t bytes) {
  if (data != nullptr) ::munmap(data, WholePages(bytes));
}

}  // namespace internal
}  // namespace vigil
