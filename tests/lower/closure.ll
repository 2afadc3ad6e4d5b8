; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$"type:int" = comdat any

@"type:int.name" = private unnamed_addr constant [4 x i8] c"int\00", align 1
@"type:int" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr } { i64 8, i64 0, i32 -1779859874, i8 0, i8 8, i8 8, i8 2, ptr @"type:int.equal", ptr null, ptr @"type:int.name" }, comdat, align 8

; Function Attrs: uwtable
define internal ptr @main.counter() #0 {
entry:
  %n.ref = alloca ptr, align 8
  %n.heap = call ptr @gol_mallocgc(i64 8, ptr @"type:int", i1 true)
  store ptr %n.heap, ptr %n.ref, align 8
  %n.heap1 = load ptr, ptr %n.ref, align 8
  store i64 0, ptr %n.heap1, align 8
  %closure = call ptr @gol_mallocgc(i64 16, ptr null, i1 true)
  store ptr @main.counter.func1, ptr %closure, align 8
  %n.heap2 = load ptr, ptr %n.ref, align 8
  %n.capture = getelementptr inbounds { ptr, ptr }, ptr %closure, i32 0, i32 1
  store ptr %n.heap2, ptr %n.capture, align 8
  ret ptr %closure
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %next.addr = alloca ptr, align 8
  %counter = call ptr @main.counter()
  store ptr %counter, ptr %next.addr, align 8
  %next = load ptr, ptr %next.addr, align 8
  %nilcheck = icmp eq ptr %next, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %fn = load ptr, ptr %next, align 8
  %call = call i64 %fn(ptr %next)
  %next1 = load ptr, ptr %next.addr, align 8
  %nilcheck2 = icmp eq ptr %next1, null
  br i1 %nilcheck2, label %nilcheck.panic3, label %nilcheck.ok4, !prof !0

nilcheck.panic3:                                  ; preds = %nilcheck.ok
  call void @gol_panicmem()
  unreachable

nilcheck.ok4:                                     ; preds = %nilcheck.ok
  %fn5 = load ptr, ptr %next1, align 8
  %call6 = call i64 %fn5(ptr %next1)
  call void @gol_printlock()
  call void @gol_printint(i64 %call6)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

; Function Attrs: uwtable
define internal i64 @main.counter.func1(ptr %closure) #0 {
entry:
  %n.ref = alloca ptr, align 8
  %n.capture = getelementptr inbounds { ptr, ptr }, ptr %closure, i32 0, i32 1
  %n.heap = load ptr, ptr %n.capture, align 8
  store ptr %n.heap, ptr %n.ref, align 8
  %n.heap1 = load ptr, ptr %n.ref, align 8
  %old = load i64, ptr %n.heap1, align 8
  %inc = add i64 %old, 1
  store i64 %inc, ptr %n.heap1, align 8
  %n.heap2 = load ptr, ptr %n.ref, align 8
  %n = load i64, ptr %n.heap2, align 8
  ret i64 %n
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

; Function Attrs: cold noreturn
declare void @gol_panicmem() #1

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
attributes #1 = { cold noreturn }

!0 = !{!"branch_weights", i32 1, i32 1048575}
