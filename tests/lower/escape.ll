; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$"type:chan int" = comdat any

$"type:int" = comdat any

@"type:chan int.gcdata" = private constant [1 x i8] c"\01", align 1
@"type:chan int.name" = private unnamed_addr constant [9 x i8] c"chan int\00", align 1
@"type:chan int" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr, ptr } { i64 8, i64 8, i32 -1550448700, i8 0, i8 8, i8 8, i8 50, ptr @"type:chan int.equal", ptr @"type:chan int.gcdata", ptr @"type:chan int.name", ptr @"type:int" }, comdat, align 8
@"type:int.name" = private unnamed_addr constant [4 x i8] c"int\00", align 1
@"type:int" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr } { i64 8, i64 0, i32 -1779859874, i8 0, i8 8, i8 8, i8 2, ptr @"type:int.equal", ptr null, ptr @"type:int.name" }, comdat, align 8

; Function Attrs: uwtable
define internal void @"main.(*T).bump"(ptr %t) #0 {
entry:
  %t.addr = alloca ptr, align 8
  store ptr %t, ptr %t.addr, align 8
  %t1 = load ptr, ptr %t.addr, align 8
  %nilcheck = icmp eq ptr %t1, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %a.addr = getelementptr inbounds { i64, i64 }, ptr %t1, i32 0, i32 0
  %old = load i64, ptr %a.addr, align 8
  %inc = add i64 %old, 1
  store i64 %inc, ptr %a.addr, align 8
  ret void
}

; Function Attrs: uwtable
define internal i64 @main.stays() #0 {
entry:
  %n.addr = alloca i64, align 8
  %p.addr = alloca ptr, align 8
  %t.addr = alloca { i64, i64 }, align 8
  %lit.addr = alloca { i64, i64 }, align 8
  %q.addr = alloca ptr, align 8
  %closure.addr = alloca { ptr, ptr }, align 8
  %add.addr = alloca ptr, align 8
  store i64 1, ptr %n.addr, align 8
  store ptr %n.addr, ptr %p.addr, align 8
  %p = load ptr, ptr %p.addr, align 8
  %nilcheck = icmp eq ptr %p, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %old = load i64, ptr %p, align 8
  %add = add i64 %old, 1
  store i64 %add, ptr %p, align 8
  store { i64, i64 } zeroinitializer, ptr %t.addr, align 8
  call void @"main.(*T).bump"(ptr %t.addr)
  store { i64, i64 } { i64 3, i64 4 }, ptr %lit.addr, align 8
  store ptr %lit.addr, ptr %q.addr, align 8
  %q = load ptr, ptr %q.addr, align 8
  call void @"main.(*T).bump"(ptr %q)
  store ptr @main.stays.func1, ptr %closure.addr, align 8
  %n.capture = getelementptr inbounds { ptr, ptr }, ptr %closure.addr, i32 0, i32 1
  store ptr %n.addr, ptr %n.capture, align 8
  store ptr %closure.addr, ptr %add.addr, align 8
  %add1 = load ptr, ptr %add.addr, align 8
  %a.addr = getelementptr inbounds { i64, i64 }, ptr %t.addr, i32 0, i32 0
  %a = load i64, ptr %a.addr, align 8
  %q2 = load ptr, ptr %q.addr, align 8
  %nilcheck3 = icmp eq ptr %q2, null
  br i1 %nilcheck3, label %nilcheck.panic4, label %nilcheck.ok5, !prof !0

nilcheck.panic4:                                  ; preds = %nilcheck.ok
  call void @gol_panicmem()
  unreachable

nilcheck.ok5:                                     ; preds = %nilcheck.ok
  %a.addr6 = getelementptr inbounds { i64, i64 }, ptr %q2, i32 0, i32 0
  %a7 = load i64, ptr %a.addr6, align 8
  %add8 = add i64 %a, %a7
  %nilcheck9 = icmp eq ptr %add1, null
  br i1 %nilcheck9, label %nilcheck.panic10, label %nilcheck.ok11, !prof !0

nilcheck.panic10:                                 ; preds = %nilcheck.ok5
  call void @gol_panicmem()
  unreachable

nilcheck.ok11:                                    ; preds = %nilcheck.ok5
  %fn = load ptr, ptr %add1, align 8
  call void %fn(ptr %add1, i64 %add8)
  %n = load i64, ptr %n.addr, align 8
  ret i64 %n
}

; Function Attrs: uwtable
define internal ptr @main.leaks(ptr %c) #0 {
entry:
  %c.ref = alloca ptr, align 8
  %x.ref = alloca ptr, align 8
  %y.ref = alloca ptr, align 8
  %go.args = alloca { ptr }, align 8
  %c.heap = call ptr @gol_mallocgc(i64 8, ptr @"type:chan int", i1 true)
  store ptr %c.heap, ptr %c.ref, align 8
  store ptr %c, ptr %c.heap, align 8
  %x.heap = call ptr @gol_mallocgc(i64 8, ptr @"type:int", i1 true)
  store ptr %x.heap, ptr %x.ref, align 8
  %x.heap1 = load ptr, ptr %x.ref, align 8
  store i64 1, ptr %x.heap1, align 8
  %y.heap = call ptr @gol_mallocgc(i64 8, ptr @"type:int", i1 true)
  store ptr %y.heap, ptr %y.ref, align 8
  %y.heap2 = load ptr, ptr %y.ref, align 8
  store i64 2, ptr %y.heap2, align 8
  %closure = call ptr @gol_mallocgc(i64 24, ptr null, i1 true)
  store ptr @main.leaks.func1, ptr %closure, align 8
  %c.heap3 = load ptr, ptr %c.ref, align 8
  %c.capture = getelementptr inbounds { ptr, ptr, ptr }, ptr %closure, i32 0, i32 1
  store ptr %c.heap3, ptr %c.capture, align 8
  %y.heap4 = load ptr, ptr %y.ref, align 8
  %y.capture = getelementptr inbounds { ptr, ptr, ptr }, ptr %closure, i32 0, i32 2
  store ptr %y.heap4, ptr %y.capture, align 8
  %nilcheck = icmp eq ptr %closure, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %go.arg = getelementptr inbounds { ptr }, ptr %go.args, i32 0, i32 0
  store ptr %closure, ptr %go.arg, align 8
  call void @gol_newproc(ptr @main.leaks.gowrap1, ptr %go.args, i64 8)
  %x.heap5 = load ptr, ptr %x.ref, align 8
  ret ptr %x.heap5
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %c.addr = alloca ptr, align 8
  %recv.tmp = alloca i64, align 8
  %chan = call ptr @gol_makechan(ptr @"type:int", i64 8, i64 1)
  store ptr %chan, ptr %c.addr, align 8
  %stays = call i64 @main.stays()
  %c = load ptr, ptr %c.addr, align 8
  %leaks = call ptr @main.leaks(ptr %c)
  %nilcheck = icmp eq ptr %leaks, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %deref = load i64, ptr %leaks, align 8
  %c1 = load ptr, ptr %c.addr, align 8
  call void @gol_chanrecv1(ptr %c1, ptr %recv.tmp)
  %recv = load i64, ptr %recv.tmp, align 8
  call void @gol_printlock()
  call void @gol_printint(i64 %stays)
  call void @gol_printsp()
  call void @gol_printint(i64 %deref)
  call void @gol_printsp()
  call void @gol_printint(i64 %recv)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

; Function Attrs: uwtable
define internal void @main.stays.func1(ptr %closure, i64 %d) #0 {
entry:
  %n.ref = alloca ptr, align 8
  %d.addr = alloca i64, align 8
  %n.capture = getelementptr inbounds { ptr, ptr }, ptr %closure, i32 0, i32 1
  %n.heap = load ptr, ptr %n.capture, align 8
  store ptr %n.heap, ptr %n.ref, align 8
  store i64 %d, ptr %d.addr, align 8
  %d1 = load i64, ptr %d.addr, align 8
  %n.heap2 = load ptr, ptr %n.ref, align 8
  %old = load i64, ptr %n.heap2, align 8
  %add = add i64 %old, %d1
  store i64 %add, ptr %n.heap2, align 8
  ret void
}

; Function Attrs: uwtable
define internal void @main.leaks.func1(ptr %closure) #0 {
entry:
  %c.ref = alloca ptr, align 8
  %y.ref = alloca ptr, align 8
  %send.tmp = alloca i64, align 8
  %c.capture = getelementptr inbounds { ptr, ptr, ptr }, ptr %closure, i32 0, i32 1
  %c.heap = load ptr, ptr %c.capture, align 8
  store ptr %c.heap, ptr %c.ref, align 8
  %y.capture = getelementptr inbounds { ptr, ptr, ptr }, ptr %closure, i32 0, i32 2
  %y.heap = load ptr, ptr %y.capture, align 8
  store ptr %y.heap, ptr %y.ref, align 8
  %c.heap1 = load ptr, ptr %c.ref, align 8
  %c = load ptr, ptr %c.heap1, align 8
  %y.heap2 = load ptr, ptr %y.ref, align 8
  %y = load i64, ptr %y.heap2, align 8
  store i64 %y, ptr %send.tmp, align 8
  call void @gol_chansend1(ptr %c, ptr %send.tmp)
  ret void
}

; Function Attrs: cold noreturn
declare void @gol_panicmem() #1

; Function Attrs: uwtable
define private i1 @"type:chan int.equal"(ptr %x.addr, ptr %y.addr) #0 {
entry:
  %x = load ptr, ptr %x.addr, align 8
  %y = load ptr, ptr %y.addr, align 8
  %eq = icmp eq ptr %x, %y
  ret i1 %eq
}

; Function Attrs: uwtable
define private i1 @"type:int.equal"(ptr %x.addr, ptr %y.addr) #0 {
entry:
  %x = load i64, ptr %x.addr, align 8
  %y = load i64, ptr %y.addr, align 8
  %eq = icmp eq i64 %x, %y
  ret i1 %eq
}

declare ptr @gol_mallocgc(i64, ptr, i1 zeroext)

; Function Attrs: uwtable
define internal void @main.leaks.gowrap1(ptr %args) #0 {
entry:
  %closure.addr = getelementptr inbounds { ptr }, ptr %args, i32 0, i32 0
  %closure = load ptr, ptr %closure.addr, align 8
  %nilcheck = icmp eq ptr %closure, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %fn = load ptr, ptr %closure, align 8
  call void %fn(ptr %closure)
  ret void
}

declare void @gol_newproc(ptr, ptr, i64)

declare ptr @gol_makechan(ptr, i64, i64)

declare void @gol_chanrecv1(ptr, ptr)

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printsp()

declare void @gol_printnl()

declare void @gol_printunlock()

declare void @gol_chansend1(ptr, ptr)

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
attributes #1 = { cold noreturn }

!0 = !{!"branch_weights", i32 1, i32 1048575}
