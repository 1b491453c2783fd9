#include "process/parallel.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "process/environment.hpp"

namespace dp::process {

int jobs_from(int option) {
  if (option > 0) return option;
  if (const auto text = process::process_environment()("DOCKER_PIPELINE_JOBS")) {
    int jobs = 0;
    const auto* end = text->data() + text->size();
    if (std::from_chars(text->data(), end, jobs).ptr != end || jobs < 1) {
      throw UserError(fmt::format("DOCKER_PIPELINE_JOBS '{}' is not a positive number", *text));
    }
    return jobs;
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

void run_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr first_error;
  std::mutex mutex;
  const auto worker = [&] {
    for (auto i = next++; i < count; i = next++) {
      try {
        work(i);
      } catch (...) {
        const std::lock_guard lock(mutex);
        if (!first_error) first_error = std::current_exception();
        next = count;
      }
    }
  };
  {
    std::vector<std::jthread> threads;
    const auto extra = std::min<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), count);
    for (std::size_t j = 1; j < extra; ++j) threads.emplace_back(worker);
    worker();
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace dp::process
