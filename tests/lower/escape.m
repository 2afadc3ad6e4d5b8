escape.gol:8:7: t does not escape
escape.gol:16:8: &T{...} does not escape
escape.gol:18:9: func literal does not escape
escape.gol:23:12: moved to heap: c
escape.gol:23:12: leaking param: c
escape.gol:24:2: moved to heap: x
escape.gol:25:2: moved to heap: y
escape.gol:26:5: func literal escapes to heap
