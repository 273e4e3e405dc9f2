module github.com/jitrun/jitrun

go 1.26

require github.com/ianlancetaylor/demangle v0.0.0-20260724033716-83e58baca724
