module github.com/jitrun/jitrun

go 1.26
