add_custom_target(extension COMMAND ${CMAKE_COMMAND} -E echo extension)
add_docker_pipeline(app CONTEXT context DEPENDS base extension)
add_docker_pipeline(base CONTEXT context)
