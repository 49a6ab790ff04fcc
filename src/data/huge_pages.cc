#include "src/data/huge_pages.h"

#include <sys/mman.h>

#include <cstdint>
#include <cstring>
#include <new>

#include "vigil/series_store.h"

namespace vigil {
namespace internal {
namespace {

constexpr size_t kPageBytes = 4096;

// The size of the mapping of `bytes`: whole pages, and from 2 MiB whole
// huge pages (a tail of small pages would cost up to 511 page faults; a
// huge page partly used holds at most 2 MiB more).
size_t MappedSize(size_t bytes) {
  const size_t unit = bytes >= kHugePageBytes ? kHugePageBytes : kPageBytes;
  return (bytes + unit - 1) & ~(unit - 1);
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
  const size_t size = MappedSize(bytes);
  if (size < kHugePageBytes) {
    void* data = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return data == MAP_FAILED ? nullptr : data;
  }
  // A huge page more than needed, then the unaligned head and the tail
  // unmapped: the mapping starts on a 2 MiB boundary.
  const size_t padded = size + kHugePageBytes;
  void* mapped = ::mmap(nullptr, padded, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return nullptr;
  const uintptr_t begin = reinterpret_cast<uintptr_t>(mapped);
  const uintptr_t aligned =
      (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  if (aligned > begin) ::munmap(mapped, aligned - begin);
  const size_t tail = padded - (aligned - begin) - size;
  if (tail > 0) ::munmap(reinterpret_cast<void*>(aligned + size), tail);
  void* data = reinterpret_cast<void*>(aligned);
  AdviseHugePages(data, size);
  return data;
}

void* RemapHugePages(void* data, size_t old_bytes, size_t new_bytes) {
  const size_t old_size = MappedSize(old_bytes);
  const size_t new_size = MappedSize(new_bytes);
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
  if (data != nullptr) ::munmap(data, MappedSize(bytes));
}

void* AllocateColumn(size_t bytes) {
  void* data =
      bytes >= kHugePageBytes ? MapHugePages(bytes) : ::operator new(bytes);
  if (data == nullptr) throw std::bad_alloc();
  return data;
}

void FreeColumn(void* data, size_t bytes) {
  if (bytes >= kHugePageBytes) {
    UnmapHugePages(data, bytes);
  } else {
    ::operator delete(data);
  }
}

}  // namespace internal
}  // namespace vigil
