; ModuleID = 'main'
source_filename = "main"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

$"type:int" = comdat any

$"type:main.Shape" = comdat any

$"type:main.Rect" = comdat any

@"type:int.name" = private unnamed_addr constant [4 x i8] c"int\00", align 1
@"type:int" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr } { i64 8, i64 0, i32 -1779859874, i8 0, i8 8, i8 8, i8 2, ptr @"type:int.equal", ptr null, ptr @"type:int.name" }, comdat, align 8
@"type:main.Shape.gcdata" = private constant [1 x i8] c"\03", align 1
@"type:main.Shape.name" = private unnamed_addr constant [11 x i8] c"main.Shape\00", align 1
@"type:main.Shape" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr, i64 } { i64 16, i64 16, i32 1234254255, i8 0, i8 8, i8 8, i8 20, ptr @"type:main.Shape.equal", ptr @"type:main.Shape.gcdata", ptr @"type:main.Shape.name", i64 1 }, comdat, align 8
@"type:main.Rect.name" = private unnamed_addr constant [10 x i8] c"main.Rect\00", align 1
@"type:main.Rect" = linkonce_odr constant { i64, i64, i32, i8, i8, i8, i8, ptr, ptr, ptr, ptr, i64 } { i64 16, i64 0, i32 -2117961952, i8 0, i8 8, i8 8, i8 25, ptr @"type:main.Rect.equal", ptr null, ptr @"type:main.Rect.name", ptr @"type:main.Rect.fields", i64 2 }, comdat, align 8
@"type:main.Rect.field" = private unnamed_addr constant [2 x i8] c"w\00", align 1
@"type:main.Rect.field.1" = private unnamed_addr constant [2 x i8] c"h\00", align 1
@"type:main.Rect.fields" = private constant [2 x { ptr, ptr, i64, i64 }] [{ ptr, ptr, i64, i64 } { ptr @"type:main.Rect.field", ptr @"type:int", i64 0, i64 0 }, { ptr, ptr, i64, i64 } { ptr @"type:main.Rect.field.1", ptr @"type:int", i64 8, i64 0 }], align 8
@"go:itab.main.Rect,main.Shape" = private constant { ptr, ptr, i32, i32, [1 x ptr] } { ptr @"type:main.Shape", ptr @"type:main.Rect", i32 0, i32 0, [1 x ptr] [ptr @main.Rect.Area-i] }
@itab.missing = private constant [5 x i8] c"Area\00"
@gol.itabs = private constant [2 x { ptr, ptr, ptr, ptr }] [{ ptr, ptr, ptr, ptr } { ptr @"type:main.Shape", ptr @"type:int", ptr null, ptr @itab.missing }, { ptr, ptr, ptr, ptr } { ptr @"type:main.Shape", ptr @"type:main.Rect", ptr @"go:itab.main.Rect,main.Shape", ptr null }]
@gol.itabs.none = private constant { ptr, ptr, ptr, ptr } zeroinitializer

; Function Attrs: uwtable
define internal i64 @main.Rect.Area({ i64, i64 } %r) #0 {
entry:
  %r.addr = alloca { i64, i64 }, align 8
  store { i64, i64 } %r, ptr %r.addr, align 8
  %w.addr = getelementptr inbounds { i64, i64 }, ptr %r.addr, i32 0, i32 0
  %w = load i64, ptr %w.addr, align 8
  %h.addr = getelementptr inbounds { i64, i64 }, ptr %r.addr, i32 0, i32 1
  %h = load i64, ptr %h.addr, align 8
  %mul = mul i64 %w, %h
  ret i64 %mul
}

; Function Attrs: uwtable
define internal i64 @main.kind({ ptr, ptr } %x) #0 {
entry:
  %x.addr = alloca { ptr, ptr }, align 8
  store { ptr, ptr } %x, ptr %x.addr, align 8
  %x1 = load { ptr, ptr }, ptr %x.addr, align 8
  %iface.tab = extractvalue { ptr, ptr } %x1, 0
  %case.match = icmp eq ptr %iface.tab, @"type:int"
  br i1 %case.match, label %typeswitch.case, label %typeswitch.next

typeswitch.next:                                  ; preds = %entry
  %iface.tab2 = extractvalue { ptr, ptr } %x1, 0
  %iface.data = extractvalue { ptr, ptr } %x1, 1
  %assert.nil = icmp eq ptr %iface.tab2, null
  br i1 %assert.nil, label %assert.done, label %assert.lookup

assert.lookup:                                    ; preds = %typeswitch.next
  %itab.entry = call ptr @gol.getitab(ptr @"type:main.Shape", ptr %iface.tab2)
  %itab.addr = getelementptr inbounds i8, ptr %itab.entry, i64 16
  %itab = load ptr, ptr %itab.addr, align 8
  %itab.missing.addr = getelementptr inbounds i8, ptr %itab.entry, i64 24
  %itab.missing = load ptr, ptr %itab.missing.addr, align 8
  br label %assert.done

assert.done:                                      ; preds = %assert.lookup, %typeswitch.next
  %assert.tab = phi ptr [ null, %typeswitch.next ], [ %itab, %assert.lookup ]
  %assert.missing = phi ptr [ null, %typeswitch.next ], [ %itab.missing, %assert.lookup ]
  %assert.ok = icmp ne ptr %assert.tab, null
  %assert.iface.tab = insertvalue { ptr, ptr } poison, ptr %assert.tab, 0
  %iface = insertvalue { ptr, ptr } %assert.iface.tab, ptr %iface.data, 1
  br i1 %assert.ok, label %typeswitch.case4, label %typeswitch.next3

typeswitch.next3:                                 ; preds = %assert.done
  br label %typeswitch.done

typeswitch.case:                                  ; preds = %entry
  ret i64 1

typeswitch.case4:                                 ; preds = %assert.done
  ret i64 2

typeswitch.done:                                  ; preds = %typeswitch.next3
  ret i64 0
}

; Function Attrs: uwtable
define void @main.main() #0 {
entry:
  %s.addr = alloca { ptr, ptr }, align 8
  %iface.box = call ptr @gol_mallocgc(i64 16, ptr @"type:main.Rect", i1 true)
  store { i64, i64 } { i64 2, i64 3 }, ptr %iface.box, align 8
  %iface = insertvalue { ptr, ptr } { ptr @"go:itab.main.Rect,main.Shape", ptr poison }, ptr %iface.box, 1
  store { ptr, ptr } %iface, ptr %s.addr, align 8
  %s = load { ptr, ptr }, ptr %s.addr, align 8
  %iface.tab = extractvalue { ptr, ptr } %s, 0
  %iface.data = extractvalue { ptr, ptr } %s, 1
  %nilcheck = icmp eq ptr %iface.tab, null
  br i1 %nilcheck, label %nilcheck.panic, label %nilcheck.ok, !prof !0

nilcheck.panic:                                   ; preds = %entry
  call void @gol_panicmem()
  unreachable

nilcheck.ok:                                      ; preds = %entry
  %Area.slot = getelementptr inbounds i8, ptr %iface.tab, i64 24
  %Area = load ptr, ptr %Area.slot, align 8
  %Area1 = call i64 %Area(ptr %iface.data)
  %s2 = load { ptr, ptr }, ptr %s.addr, align 8
  %iface.tab3 = extractvalue { ptr, ptr } %s2, 0
  %iface.isnil = icmp eq ptr %iface.tab3, null
  br i1 %iface.isnil, label %iface.dyntype, label %iface.itabtype

iface.itabtype:                                   ; preds = %nilcheck.ok
  %itab.type.addr = getelementptr inbounds i8, ptr %iface.tab3, i64 8
  %itab.type = load ptr, ptr %itab.type.addr, align 8
  br label %iface.dyntype

iface.dyntype:                                    ; preds = %iface.itabtype, %nilcheck.ok
  %iface.dyntype4 = phi ptr [ null, %nilcheck.ok ], [ %itab.type, %iface.itabtype ]
  %eface = insertvalue { ptr, ptr } %s2, ptr %iface.dyntype4, 0
  %kind = call i64 @main.kind({ ptr, ptr } %eface)
  call void @gol_printlock()
  call void @gol_printint(i64 %Area1)
  call void @gol_printsp()
  call void @gol_printint(i64 %kind)
  call void @gol_printnl()
  call void @gol_printunlock()
  ret void
}

; Function Attrs: uwtable
define private i1 @"type:int.equal"(ptr %x.addr, ptr %y.addr) #0 {
entry:
  %x = load i64, ptr %x.addr, align 8
  %y = load i64, ptr %y.addr, align 8
  %eq = icmp eq i64 %x, %y
  ret i1 %eq
}

; Function Attrs: uwtable
define private i1 @"type:main.Shape.equal"(ptr %x.addr, ptr %y.addr) #0 {
entry:
  %x = load { ptr, ptr }, ptr %x.addr, align 8
  %y = load { ptr, ptr }, ptr %y.addr, align 8
  %x.tab = extractvalue { ptr, ptr } %x, 0
  %y.tab = extractvalue { ptr, ptr } %y, 0
  %x.data = extractvalue { ptr, ptr } %x, 1
  %y.data = extractvalue { ptr, ptr } %y, 1
  %ifaceeq.tab = icmp eq ptr %x.tab, %y.tab
  br i1 %ifaceeq.tab, label %ifaceeq.sametab, label %ifaceeq.done

ifaceeq.sametab:                                  ; preds = %entry
  %0 = icmp eq ptr %x.tab, null
  br i1 %0, label %ifaceeq.done, label %ifaceeq.data

ifaceeq.data:                                     ; preds = %ifaceeq.sametab
  %1 = getelementptr inbounds i8, ptr %x.tab, i64 8
  %itab.type = load ptr, ptr %1, align 8
  %type.equal.addr = getelementptr inbounds i8, ptr %itab.type, i64 24
  %type.equal = load ptr, ptr %type.equal.addr, align 8
  %type.uncomparable = icmp eq ptr %type.equal, null
  br i1 %type.uncomparable, label %ifaceeq.uncomparable.panic, label %ifaceeq.uncomparable.ok, !prof !0

ifaceeq.uncomparable.panic:                       ; preds = %ifaceeq.data
  call void @gol_panicuncomparable(ptr %itab.type)
  unreachable

ifaceeq.uncomparable.ok:                          ; preds = %ifaceeq.data
  %type.kind.addr = getelementptr inbounds i8, ptr %itab.type, i64 23
  %type.kind = load i8, ptr %type.kind.addr, align 1
  %2 = and i8 %type.kind, 32
  %type.direct = icmp ne i8 %2, 0
  %ifaceeq.sameptr = icmp eq ptr %x.data, %y.data
  br i1 %type.direct, label %ifaceeq.datadone, label %ifaceeq.call

ifaceeq.call:                                     ; preds = %ifaceeq.uncomparable.ok
  %ifaceeq.equal = call i1 %type.equal(ptr %x.data, ptr %y.data)
  br label %ifaceeq.datadone

ifaceeq.datadone:                                 ; preds = %ifaceeq.call, %ifaceeq.uncomparable.ok
  %ifaceeq.data1 = phi i1 [ %ifaceeq.sameptr, %ifaceeq.uncomparable.ok ], [ %ifaceeq.equal, %ifaceeq.call ]
  br label %ifaceeq.done

ifaceeq.done:                                     ; preds = %ifaceeq.datadone, %ifaceeq.sametab, %entry
  %ifaceeq = phi i1 [ false, %entry ], [ true, %ifaceeq.sametab ], [ %ifaceeq.data1, %ifaceeq.datadone ]
  ret i1 %ifaceeq
}

; Function Attrs: uwtable
define internal ptr @gol.getitab(ptr %inter, ptr %type) #0 {
entry:
  br label %loop

loop:                                             ; preds = %next, %entry
  %i = phi i64 [ 0, %entry ], [ %5, %next ]
  %0 = icmp ult i64 %i, 2
  br i1 %0, label %body, label %miss

body:                                             ; preds = %loop
  %entry1 = getelementptr inbounds [2 x { ptr, ptr, ptr, ptr }], ptr @gol.itabs, i64 0, i64 %i
  %1 = getelementptr inbounds { ptr, ptr, ptr, ptr }, ptr %entry1, i32 0, i32 0
  %entry.inter = load ptr, ptr %1, align 8
  %2 = getelementptr inbounds { ptr, ptr, ptr, ptr }, ptr %entry1, i32 0, i32 1
  %entry.type = load ptr, ptr %2, align 8
  %3 = icmp eq ptr %entry.type, %type
  %4 = icmp eq ptr %entry.inter, %inter
  %hit = and i1 %4, %3
  br i1 %hit, label %found, label %next

found:                                            ; preds = %body
  ret ptr %entry1

next:                                             ; preds = %body
  %5 = add i64 %i, 1
  br label %loop

miss:                                             ; preds = %loop
  ret ptr @gol.itabs.none
}

; Function Attrs: uwtable
define internal i64 @main.Rect.Area-i(ptr %data) #0 {
entry:
  %recv = load { i64, i64 }, ptr %data, align 8
  %0 = call i64 @main.Rect.Area({ i64, i64 } %recv)
  ret i64 %0
}

; Function Attrs: uwtable
define private i1 @"type:main.Rect.equal"(ptr %x.addr, ptr %y.addr) #0 {
entry:
  %x = load { i64, i64 }, ptr %x.addr, align 8
  %y = load { i64, i64 }, ptr %y.addr, align 8
  %0 = extractvalue { i64, i64 } %x, 0
  %1 = extractvalue { i64, i64 } %y, 0
  %eq = icmp eq i64 %0, %1
  %eq1 = and i1 true, %eq
  %2 = extractvalue { i64, i64 } %x, 1
  %3 = extractvalue { i64, i64 } %y, 1
  %eq2 = icmp eq i64 %2, %3
  %eq3 = and i1 %eq1, %eq2
  ret i1 %eq3
}

declare ptr @gol_mallocgc(i64, ptr, i1 zeroext)

; Function Attrs: cold noreturn
declare void @gol_panicmem() #1

declare void @gol_printlock()

declare void @gol_printint(i64)

declare void @gol_printsp()

declare void @gol_printnl()

declare void @gol_printunlock()

; Function Attrs: uwtable
define void @main.init() #0 {
entry:
  ret void
}

; Function Attrs: cold noreturn
declare void @gol_panicuncomparable(ptr) #1

attributes #0 = { uwtable "frame-pointer"="all" "target-cpu"="x86-64" }
attributes #1 = { cold noreturn }

!0 = !{!"branch_weights", i32 1, i32 1048575}
