# The hll commands: storage, commands, tests and benchmark. (Merged into the folders'
# local.mk files once landed.)
