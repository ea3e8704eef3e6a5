# The customer's side: the menu, the cart and checkout, the plain order form, the order's
# own page, and the shared pieces they show (connection badge, order lines).

menu-link-kitchen = Kitchen
menu-link-staff = Staff
menu-noscript = JavaScript is off, so the cart cannot work here. { $link } instead.
menu-noscript-link = Order with the simple form
menu-loading = Loading the menu…
menu-aria = Menu
menu-vegetarian = Vegetarian
menu-contains = Contains: { $list }
menu-sold-out = Sold out
menu-add-to-cart = Add { $name } to the cart
menu-add-size-to-cart = Add { $size } { $name } to the cart
menu-customise = Customise
menu-leave-off = Leave off
menu-no-ingredient = No { $ingredient }
menu-add-toppings = Add (up to { $max })
menu-topping-sold-out = sold out
menu-line-note = Note for the kitchen
menu-line-note-placeholder = e.g. well done
menu-extras-price = Extras: +{ $price } a pizza, in the prices below

cart-title = Your order
cart-empty = Your cart is empty: pick something from the menu.
cart-total = Total
cart-item-gone = Item no longer on the menu
cart-one-less = One less { $name }
cart-one-more = One more { $name }
cart-quantity = quantity
cart-added = Added to your order: { $name }
cart-bar-items = { $count ->
    [one] 1 item
   *[other] { $count } items
}
cart-bar-order = See order

checkout-name = Your name
checkout-phone = Phone
checkout-phone-optional = (optional, if we need to call)
checkout-pickup = Pickup
checkout-notes = Notes
checkout-blocked = Something in your cart is no longer available: remove it to order.
checkout-placing = Placing your order…
checkout-place = Place order
checkout-asap = As soon as possible
checkout-open-always = Open around the clock
checkout-open-hours = Open { $hours } ({ $timezone })

form-full-menu = Full menu
form-title = Order
form-hint = A simple form that works without JavaScript. For extra toppings and a cart, use the
form-hint-link = full menu
form-quantity-size = { $name } { $size }, { $price }
form-quantity = { $name }, { $price }
form-pickup-details = Pickup details

order-title = Order #{ $id }
order-cancel-reason = Reason: { $reason }
order-summary = Your pizzas
order-for = For
order-ordered-at = , ordered at
order-ready-at = Ready at about
order-soon = any minute now
order-in-minutes = in about { $minutes } min
order-ahead = { $count ->
    [0] No order ahead of yours
    [one] 1 order ahead of yours
   *[other] { $count } orders ahead of yours
}
order-progress = Progress
order-cancelled = This order was cancelled.

conn-live = Live
conn-connecting = Connecting…
conn-reconnecting = Reconnecting…
conn-offline = Offline
conn-offline-since = Offline since { $time }
conn-updated-ago = updated { $age } ago
conn-waiting = waiting for the server

lines-pickup = Pickup
lines-note = Note: { $notes }
lines-removed = no { $name }
lines-allergens = Allergens: { $list }

notfound-title = Page not found
notfound-back = Back to the menu
order-ready-title = Ready! Order #{ $id }
order-ready-notification = Your order is ready for pickup.
order-notify-me = Tell me when it's ready
order-keep-link = Keep this link
order-link-copied = Link copied: paste it somewhere you will find it.
order-link-copy-yourself = Copy this page's address to come back to your order.
order-call = Call
