#pragma once

#include <cstddef>
#include <functional>

// Running units of work side by side: verify images, matrix variants, uploads.
namespace dp::process {

// The jobs option when positive, else DOCKER_PIPELINE_JOBS, else the number of cores (at least
// 1). Throws dp::UserError naming a DOCKER_PIPELINE_JOBS that is not a positive number.
int jobs_from(int option);

// Runs work(i) for every i < count, in order of i, on up to `jobs` threads, this one among them.
// An exception from work(i) (an interrupt, or an error work does not handle itself) stops handing
// out more; the first is rethrown once every started work(i) has returned.
void run_parallel(std::size_t count, int jobs, const std::function<void(std::size_t)>& work);

}  // namespace dp::process
