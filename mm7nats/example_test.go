package mm7nats_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/openmms/mm7go/mm7"
	"github.com/openmms/mm7go/mm7nats"
	"github.com/openmms/mm7go/mm7test"
)

// A receiver storing into JetStream, and an MT job relayed to an MMSC
// whose delivery report comes back to the receiver with the job's id.
func Example() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "mm7nats-example")
	defer os.RemoveAll(dir)
	ns, err := mm7nats.RunServer(mm7nats.ServerOptions{Dir: dir, Port: -1}) // or a NATS cluster
	if err != nil {
		log.Fatal(err)
	}
	defer ns.Shutdown()
	nc, _ := nats.Connect(ns.ClientURL())
	defer nc.Close()
	js, _ := jetstream.New(nc)
	bus, err := mm7nats.Open(ctx, js, mm7nats.Config{})
	if err != nil {
		log.Fatal(err)
	}

	// The receiver: 1000 only once JetStream has the message.
	sink := &mm7nats.Sink{Bus: bus, CorrelationWait: 5e9}
	store := func(ctx context.Context, r *mm7.Request) error {
		_, err := sink.Store(ctx, r)
		return err
	}
	vasp := httptest.NewServer(&mm7.Handler{OnDeliver: store, OnDeliveryReport: store, OnReadReply: store})
	defer vasp.Close()

	// The MMSC, and the relay submitting to it.
	mmsc := mm7test.NewServer(func(o *mm7test.Options) { o.VASPURL = vasp.URL })
	defer mmsc.Close()
	client, _ := mm7.NewClient(mmsc.URL)
	relay := &mm7nats.Relay{Bus: bus, Accounts: map[string]*mm7nats.Account{"": {Client: client, Rate: 50}}}
	rctx, stop := context.WithCancel(ctx)
	defer stop()
	go relay.Run(rctx) //nolint:errcheck // stopped by stop

	id, err := bus.Enqueue(ctx, &mm7nats.Job{IdempotencyKey: "order-1", From: "12345", To: []string{"15555550123"},
		DeliveryReport: true, Parts: []mm7nats.Part{{ContentType: "text/plain", Data: []byte("Your order shipped")}}})
	if err != nil {
		log.Fatal(err)
	}

	// Follow the delivery report of the job.
	cons, _ := js.OrderedConsumer(ctx, "MM7_IN", jetstream.OrderedConsumerConfig{FilterSubjects: []string{"mm7.in.delivery-report"}})
	msg, err := cons.Next()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Headers().Get(mm7nats.HeaderJobID) == id)
	res, _ := bus.JobResult(ctx, id)
	fmt.Println(res.State, res.Status, res.Attempts)
	// Output:
	// true
	// accepted 1000 1
}
